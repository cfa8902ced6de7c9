// The control plane under /_sandbox/ (JSON in and out), apart from the AWS API path.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { World } from "../core/world";
import { expireApproval } from "../sim/commands";
import { currentDeclaration, lastStageRun } from "../sim/lookup";
import { githubRepoOf, sourceActions } from "../sim/revisions";
import { startFromPush } from "../sim/tasks";
import type { Iam } from "../iam/caller";
import { parseRoles } from "../iam/roles";
import type { Faults } from "./faults";
import type { Stats } from "./stats";
import { commitsOf } from "./commits";
import { truth } from "./truth";

export interface ControlPlane {
  world: () => World;
  faults: Faults;
  stats: Stats;
  iam: Iam;
  /** "real" when wall time drives the simulation (the clock cannot be advanced by hand). */
  mode: "real" | "manual";
  advance: (ms: number) => void;
  sync: () => void;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) })
    .end(text);
}

function parse(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  const value: unknown = JSON.parse(raw);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("body must be a JSON object");
  return value as Record<string, unknown>;
}

function repositories(world: World): string[] {
  const repos = new Set<string>();
  for (const p of world.pipelines.values())
    for (const s of sourceActions(currentDeclaration(p))) {
      const repo = githubRepoOf(s);
      if (repo) repos.add(repo);
    }
  return [...repos].sort();
}

function startActivity(
  world: World,
  body: Record<string, unknown>,
): { pipelineName: string; pipelineExecutionId: string }[] {
  const named = Array.isArray(body.pipelines)
    ? body.pipelines.filter((n): n is string => typeof n === "string")
    : undefined;
  const all = [...world.pipelines.keys()].sort();
  const count = typeof body.count === "number" ? Math.max(0, Math.min(all.length, Math.floor(body.count))) : 1;
  const chosen =
    named ??
    Array.from({ length: count }, () => all.splice(Math.floor(world.rng.next() * all.length), 1)[0]).filter(
      (n): n is string => n !== undefined,
    );
  const author = body.author as { name?: unknown; email?: unknown } | undefined;
  const push = {
    ...(typeof author?.name === "string" && typeof author.email === "string"
      ? { author: { name: author.name, email: author.email } }
      : {}),
    ...(typeof body.message === "string" ? { message: body.message } : {}),
  };
  return chosen.flatMap((name) => {
    const p = world.pipelines.get(name);
    return p ? [{ pipelineName: name, pipelineExecutionId: startFromPush(world, p, undefined, push).id }] : [];
  });
}

function expireAll(world: World, pipeline: string | undefined): number {
  let expired = 0;
  for (const ref of [...world.tokens.values()]) {
    if (pipeline !== undefined && ref.pipelineName !== pipeline) continue;
    const exec = world.executions.get(ref.executionId);
    const action = exec && lastStageRun(exec, ref.stageName)?.actions.find((a) => a.id === ref.actionRunId);
    if (exec && action?.status === "InProgress") {
      expireApproval(world, exec, ref.stageName, ref.actionRunId);
      expired++;
    }
  }
  return expired;
}

export function handleControl(cp: ControlPlane, req: IncomingMessage, res: ServerResponse, raw: string): void {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const route = `${req.method ?? "GET"} ${url.pathname.replace(/\/+$/, "")}`;
  let body: Record<string, unknown>;
  try {
    body = parse(raw);
  } catch (error) {
    return json(res, 400, { error: error instanceof Error ? error.message : "bad body" });
  }
  cp.sync();
  const world = cp.world();
  switch (route) {
    case "GET /_sandbox/clock":
      return json(res, 200, { now: world.clock.now(), mode: cp.mode });
    case "POST /_sandbox/clock/advance": {
      const ms = body.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        return json(res, 400, { error: "ms must be a non-negative number" });
      if (cp.mode === "real") return json(res, 409, { error: "the clock is real; advancing needs --clock manual" });
      cp.advance(ms);
      return json(res, 200, { now: world.clock.now(), mode: "manual" });
    }
    case "GET /_sandbox/faults":
      return json(res, 200, cp.faults.current());
    case "POST /_sandbox/faults":
      cp.faults.set(body);
      return json(res, 200, cp.faults.current());
    case "DELETE /_sandbox/faults":
      cp.faults.clear();
      return json(res, 200, {});
    case "POST /_sandbox/activity":
      return json(res, 200, { started: startActivity(world, body) });
    case "GET /_sandbox/roles":
      return json(res, 200, { roles: cp.iam.roles });
    case "PUT /_sandbox/roles": {
      try {
        cp.iam.setRoles(parseRoles(body.roles));
      } catch (error) {
        return json(res, 400, { error: error instanceof Error ? error.message : "bad roles" });
      }
      return json(res, 200, { roles: cp.iam.roles });
    }
    case "GET /_sandbox/stats":
      return json(res, 200, cp.stats.toJson());
    case "POST /_sandbox/stats/reset":
      cp.stats.reset(world.clock.now());
      return json(res, 200, cp.stats.toJson());
    case "GET /_sandbox/repositories":
      return json(res, 200, { repositories: repositories(world) });
    case "GET /_sandbox/commits": {
      const answer = commitsOf(world, url.searchParams);
      return json(res, answer.status, answer.body);
    }
    case "GET /_sandbox/truth":
      return json(res, 200, truth(world, url.searchParams.get("pipeline") ?? undefined));
    case "POST /_sandbox/approvals/expire":
      return json(res, 200, {
        expired: expireAll(world, typeof body.pipeline === "string" ? body.pipeline : undefined),
      });
    case "POST /_sandbox/scripts": {
      const key = `${String(body.pipeline)}/${String(body.stage)}/${String(body.action)}`;
      const outcome = body.outcome === "Failed" || body.outcome === "Succeeded" ? body.outcome : undefined;
      world.scripts.set(key, {
        ...(outcome ? { outcome } : {}),
        ...(typeof body.durationMs === "number" ? { durationMs: body.durationMs } : {}),
      });
      return json(res, 200, { scripted: key });
    }
    case "DELETE /_sandbox/scripts":
      world.scripts.clear();
      return json(res, 200, {});
    default:
      return json(res, 404, { error: `no control route ${route}` });
  }
}
