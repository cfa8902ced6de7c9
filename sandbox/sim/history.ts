// Past executions of a seeded pipeline are never stored: execution i is recomputed from (seed, pipeline, i)
// whenever it is read, so months of history for 5,000 pipelines cost no memory. Ids encode i so a lookup by
// id needs no index.
import type { PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import { hash32, pickBy, unit, uuidFrom } from "../core/hash";
import type { ActionRun, ExecutionRecord, HistoryPlan, PipelineRecord, StageRun } from "../core/types";
import type { World } from "../core/world";
import { AUTHORS } from "../fleet/catalog";
import { durationFor, isApproval, resultFor } from "./behaviour";
import { historyCommit, historyStartMs } from "./commits";
import { historyConditions } from "./history-conditions";
import { revisionFor, sourceActions } from "./revisions";

const MASK = 0xffffff;

function maskOf(plan: HistoryPlan): number {
  return hash32(`${plan.key}|mask`) & MASK;
}

export function historyId(plan: HistoryPlan, i: number): string {
  const id = uuidFrom(plan.key, "exec", i);
  return id.slice(0, 30) + ((i ^ maskOf(plan)) & MASK).toString(16).padStart(6, "0");
}

export function historyIndexOf(plan: HistoryPlan, id: string): number | undefined {
  if (id.length !== 36) return undefined;
  const i = (parseInt(id.slice(30), 16) ^ maskOf(plan)) & MASK;
  return i < plan.count && historyId(plan, i) === id ? i : undefined;
}

const cache = new Map<string, ExecutionRecord>();
const CACHE_LIMIT = 4000;

export function historyExecution(world: World, p: PipelineRecord, i: number): ExecutionRecord | undefined {
  const plan = p.history;
  if (!plan || i < 0 || i >= plan.count) return undefined;
  const key = `${plan.key}|${i}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const decl = p.declarations[plan.version - 1] ?? p.declarations[0];
  if (!decl) return undefined;
  const record = materialize(world, p, decl, plan, i);
  if (cache.size >= CACHE_LIMIT) {
    const first = cache.keys().next();
    if (!first.done) cache.delete(first.value);
  }
  cache.set(key, record);
  return record;
}

function triggerFor(world: World, decl: PipelineDeclaration, u: number): ExecutionRecord["trigger"] {
  const { account, region } = world.env;
  if (u < 0.06)
    return {
      triggerType: "StartPipelineExecution",
      triggerDetail: `arn:aws:sts::${account}:assumed-role/Admin/${pickBy(AUTHORS, u * 16)}`,
    };
  const source = sourceActions(decl)[0];
  const provider = source?.actionTypeId?.provider;
  if (provider === "CodeStarSourceConnection") {
    const arn = source?.configuration?.ConnectionArn ?? "";
    return decl.triggers?.length
      ? { triggerType: "WebhookV2", triggerDetail: arn }
      : { triggerType: "Webhook", triggerDetail: arn };
  }
  if (provider === "GitHub")
    return {
      triggerType: "Webhook",
      triggerDetail: `arn:aws:codepipeline:${region}:${account}:webhook:${decl.name ?? ""}--Source--webhook`,
    };
  return {
    triggerType: "CloudWatchEvent",
    triggerDetail: `arn:aws:events:${region}:${account}:rule/codepipeline-${decl.name ?? ""}-source`,
  };
}

function materialize(
  world: World,
  p: PipelineRecord,
  decl: PipelineDeclaration,
  plan: HistoryPlan,
  i: number,
): ExecutionRecord {
  const u = (...parts: (string | number)[]) => unit(plan.key, i, ...parts);
  const id = historyId(plan, i);
  const startMs = historyStartMs(plan, i);
  const commit = historyCommit(plan, i);
  const sources = sourceActions(decl).map((s) => revisionFor(world, s, commit));
  const stages = decl.stages ?? [];
  const mode = decl.executionMode ?? "SUPERSEDED";
  const supersedeAt = mode === "SUPERSEDED" && u("sup") < 0.05 ? 1 + Math.floor(u("supAt") * (stages.length - 1)) : -1;
  const stopAt = u("stop") < 0.01 ? Math.floor(u("stopAt") * stages.length) : -1;
  const exec: ExecutionRecord = {
    id,
    pipelineName: p.name,
    pipelineVersion: plan.version,
    status: "Succeeded",
    startMs,
    lastUpdateMs: startMs,
    trigger: triggerFor(world, decl, u("trigger")),
    mode: mode,
    type: "STANDARD",
    sources,
    variables: (decl.variables ?? []).map((v) => ({ name: v.name ?? "", resolvedValue: v.defaultValue ?? "" })),
    stages: [],
    cursor: stages.length,
    seq: -1,
  };
  let t = startMs;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    if (!stage) break;
    if (k === supersedeAt) {
      exec.status = "Superseded";
      exec.cursor = k;
      break;
    }
    const run: StageRun = {
      name: stage.name ?? "",
      status: "Succeeded",
      type: "STANDARD",
      startMs: t,
      actions: [],
      manualRetries: 0,
      autoRetries: 0,
      conditions: [],
    };
    exec.stages.push(run);
    const orders = [...new Set((stage.actions ?? []).map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
    let failed = false;
    for (const order of orders) {
      let groupEnd = t;
      for (const a of (stage.actions ?? []).filter((x) => (x.runOrder ?? 1) === order)) {
        const runId = uuidFrom(id, run.name, a.name ?? "");
        const ua = (s: string) => unit(runId, s);
        const action: ActionRun = {
          id: runId,
          stageName: run.name,
          actionName: a.name ?? "",
          status: "Succeeded",
          startMs: t,
          lastUpdateMs: t,
        };
        let fail = false;
        if (isApproval(a)) {
          const wait = 300_000 + Math.round(ua("wait") * 8 * 3_600_000);
          fail = ua("reject") < 0.05;
          Object.assign(action, {
            lastUpdateMs: t + wait,
            summary: fail ? "Rejected: needs another look" : "Looks good, ship it",
            updatedBy: `arn:aws:iam::${world.env.account}:user/${pickBy(AUTHORS, ua("who"))}`,
          });
        } else {
          fail = k > 0 && ua("fail") < p.profile.failureRate;
          action.lastUpdateMs = t + durationFor(a, ua("d"), p.name, run.name);
          Object.assign(action, resultFor(world.env.region, a, action, sources, fail));
        }
        if (k === stopAt) {
          action.status = "Abandoned";
          exec.status = "Stopped";
          exec.stopTrigger = { reason: "Stopped to ship a hotfix first" };
        } else if (fail) {
          action.status = "Failed";
          failed = true;
        }
        run.actions.push(action);
        groupEnd = Math.max(groupEnd, action.lastUpdateMs);
      }
      t = groupEnd;
      if (failed || exec.status === "Stopped") break;
    }
    run.endMs = t;
    exec.lastUpdateMs = t;
    run.conditions = historyConditions(
      stage,
      { executionId: id, stageName: run.name, startMs: run.startMs, endMs: t },
      !failed && exec.status !== "Stopped",
    );
    if (exec.status === "Stopped") {
      run.status = "Stopped";
      exec.cursor = k;
      break;
    }
    if (failed) {
      run.status = "Failed";
      exec.status = "Failed";
      exec.cursor = k;
      break;
    }
    t += 1_000 + Math.round(u("gap", k) * 4_000);
  }
  return exec;
}
