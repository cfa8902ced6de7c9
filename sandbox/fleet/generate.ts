// Builds the seeded fleet: pipelines, their history plans, disabled transitions, then a warm-up stretch of
// simulated time so the fleet starts mid-flight (running builds, a waiting approval, a held execution).
import { unit } from "../core/hash";
import type { PipelineRecord, Profile } from "../core/types";
import type { World } from "../core/world";
import { historyExecution } from "../sim/history";
import { authorsFor, CURATED, syntheticSpec, type PipelineSpec } from "./catalog";
import { declarationFor } from "./templates";

const DAY = 86_400_000;
export const WARMUP_MS = 90 * 60_000;

export interface FleetOptions {
  pipelines: number;
  historyDays: number;
}

function profileFor(world: World, spec: PipelineSpec, i: number): Profile {
  const u = (s: string) => unit(world.env.seed, spec.name, s);
  const waitsForPeople = spec.waitsForPeople === true;
  return {
    failureRate: waitsForPeople ? 0.03 : 0.02 + u("fail") * 0.12,
    autoApproveRate: waitsForPeople ? 0 : 0.75,
    activityEveryMs:
      i < CURATED.length ? 120_000 + Math.round(u("busy") * 600_000) : 600_000 + Math.round(u("busy") * 3_000_000),
  };
}

export function specAt(world: World, i: number): PipelineSpec {
  return CURATED[i] ?? syntheticSpec(i, (salt) => unit(world.env.seed, "spec", i, salt));
}

export function buildFleet(world: World, options: FleetOptions): void {
  const origin = world.originMs;
  const historyFrom = origin - options.historyDays * DAY;
  const historyEnd = origin - WARMUP_MS - 3_600_000;
  for (let i = 0; i < options.pipelines; i++) {
    const spec = specAt(world, i);
    const u = (s: string) => unit(world.env.seed, spec.name, s);
    const version = 1 + Math.floor(u("version") * 4);
    const decl = declarationFor(world.env, spec);
    const createdMs = Math.round(historyFrom - (1 + u("created") * 30) * DAY);
    const everyMs = Math.round(3 * 3_600_000 + u("every") * 45 * 3_600_000);
    const p: PipelineRecord = {
      name: spec.name,
      declarations: Array.from({ length: version }, (_, v) => ({ ...decl, version: v + 1 })),
      createdMs,
      updatedMs: Math.round(createdMs + (historyFrom - createdMs) * u("updated")),
      tags: [
        { key: "team", value: spec.repo?.split("/")[0] ?? "platform" },
        { key: "environment", value: spec.name.includes("staging") ? "staging" : "production" },
      ],
      transitions: {},
      profile: profileFor(world, spec, i),
      history: {
        key: `${world.env.seed}|${spec.name}`,
        fromMs: historyFrom,
        everyMs,
        count: Math.max(0, Math.floor((historyEnd - historyFrom) / everyMs)),
        version,
      },
      waiting: {},
      occupant: {},
      latestStage: {},
      live: [],
      authors: authorsFor(spec),
    };
    if (spec.frozenStage && decl.stages?.some((s) => s.name === spec.frozenStage)) {
      p.transitions[spec.frozenStage] = {
        enabled: false,
        lastChangedBy: `arn:aws:iam::${world.env.account}:user/ops-lead`,
        lastChangedAt: origin - 2 * DAY,
        disabledReason: "Change freeze until the quarterly audit",
      };
    }
    world.pipelines.set(p.name, p);
    seedLatestStages(world, p);
    schedulePushes(world, p);
  }
}

function seedLatestStages(world: World, p: PipelineRecord): void {
  const count = p.history?.count ?? 0;
  const stages = p.declarations[p.declarations.length - 1]?.stages?.length ?? 0;
  for (let i = count - 1; i >= Math.max(0, count - 40) && Object.keys(p.latestStage).length < stages; i--) {
    for (const run of historyExecution(world, p, i)?.stages ?? []) p.latestStage[run.name] ??= `h:${i}`;
  }
}

function schedulePushes(world: World, p: PipelineRecord): void {
  const start = world.originMs - WARMUP_MS;
  const u = (s: string) => unit(world.env.seed, p.name, s);
  const waitsForPeople = p.profile.autoApproveRate === 0;
  const count = waitsForPeople ? 2 : 1 + (u("two") < 0.4 ? 1 : 0);
  for (let n = 0; n < count; n++) {
    const at = start + Math.round(u(`push${n}`) * (WARMUP_MS - 60_000));
    // The last start of a pipeline that waits for people runs clean, so its approval is reached for sure.
    const clean = waitsForPeople && n === count - 1;
    world.scheduler.schedule(
      waitsForPeople && n === count - 1 ? start + 60_000 : at,
      "push",
      p.name,
      clean ? { clean: true } : undefined,
    );
  }
}
