// The control plane's webhook requests: what a push does, demo workflows, a click on a check run's button, and
// switches that make the receiver look down or deliveries arrive twice or out of order.
import type { JsonObject } from "../http/body";
import type { StandInState } from "../state";
import { CHECK_CONCLUSIONS, isOneOf } from "../world/records";
import { FULL_SHA } from "../world/commits";
import { parseFullName } from "../world/names";
import type { Repository } from "../world/world";
import { clickCheckRunButton } from "./click";
import { deliveryDetail } from "./deliveries-endpoints";
import { emitCheckRun, pushed } from "./events";
import { webhooksOf } from "./hub";
import type { WorkflowJob } from "./workflows";
import { startWorkflow } from "./workflows";

type Result = { status: number; body: unknown };
const bad = (error: string): Result => ({ status: 400, body: { error } });
const ok = (body: unknown): Result => ({ status: 200, body });
/** How long, at most, a shuffled delivery waits before it is sent. */
const DEFAULT_SHUFFLE_WINDOW_MS = 1_000;
/** A demo job runs at most an hour. */
const MAX_AFTER_MS = 3_600_000;

function repositoryOf(state: StandInState, value: unknown): Repository | undefined {
  const parsed = parseFullName(value);
  return parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
}

function isSha(value: unknown): value is string {
  return typeof value === "string" && FULL_SHA.test(value.toLowerCase());
}

// {"paused"?: bool, "duplicate"?: N, "shuffle"?: bool, "shuffleWindowMs"?: ms}
function setWebhooks(state: StandInState, body: JsonObject): Result {
  const controls = webhooksOf(state).controls;
  if (body.paused !== undefined && typeof body.paused !== "boolean") return bad("paused must be true or false");
  const duplicate = body.duplicate;
  if (duplicate !== undefined && (typeof duplicate !== "number" || !Number.isInteger(duplicate) || duplicate < 0))
    return bad("duplicate must be a count");
  if (body.shuffle !== undefined && typeof body.shuffle !== "boolean") return bad("shuffle must be true or false");
  const windowMs = body.shuffleWindowMs ?? DEFAULT_SHUFFLE_WINDOW_MS;
  if (typeof windowMs !== "number" || windowMs < 0 || windowMs > 60_000) return bad("shuffleWindowMs must be 0-60000");
  if (typeof body.paused === "boolean") controls.paused = body.paused;
  if (typeof duplicate === "number") controls.duplicate = duplicate;
  if (typeof body.shuffle === "boolean") controls.shuffleWindowMs = body.shuffle ? windowMs : null;
  return ok(controls);
}

// {"repository","branch"?,"after","before"?}: a push of commits the commit source knows
function push(state: StandInState, body: JsonObject): Result {
  const repository = repositoryOf(state, body.repository);
  if (!repository) return bad("unknown repository");
  const branch = body.branch ?? "main";
  if (typeof branch !== "string" || branch === "") return bad("branch must be a name");
  if (!isSha(body.after)) return bad("after must be a full SHA");
  if (body.before !== undefined && !isSha(body.before)) return bad("before must be a full SHA");
  const after = body.after.toLowerCase();
  const before = typeof body.before === "string" ? body.before.toLowerCase() : undefined;
  pushed(state, { repository, branch, after, ...(before ? { before } : {}) });
  return ok({ repository: repository.fullName, branch, after, ...(before ? { before } : {}) });
}

// {"repository","sha","head_branch"?,"checks":[{"name","conclusion","afterMs"}]}
function workflows(state: StandInState, body: JsonObject): Result {
  const repository = repositoryOf(state, body.repository);
  if (!repository) return bad("unknown repository");
  if (!isSha(body.sha)) return bad("sha must be a full SHA");
  const headBranch = body.head_branch ?? null;
  if (headBranch !== null && typeof headBranch !== "string") return bad("head_branch must be a branch name");
  if (!Array.isArray(body.checks) || body.checks.length === 0) return bad("checks must be a non-empty list");
  const jobs: WorkflowJob[] = [];
  for (const [i, raw] of body.checks.entries()) {
    const job = raw as Partial<Record<"name" | "conclusion" | "afterMs", unknown>>;
    if (typeof job.name !== "string" || job.name === "") return bad(`checks[${i}].name must be a name`);
    if (!isOneOf(CHECK_CONCLUSIONS, job.conclusion))
      return bad(`checks[${i}].conclusion must be one of ${CHECK_CONCLUSIONS.join(", ")}`);
    const afterMs = job.afterMs ?? 0;
    if (typeof afterMs !== "number" || afterMs < 0 || afterMs > MAX_AFTER_MS)
      return bad(`checks[${i}].afterMs must be 0-${MAX_AFTER_MS}`);
    jobs.push({ name: job.name, conclusion: job.conclusion, afterMs });
  }
  const runs = startWorkflow(state, { repository, sha: body.sha.toLowerCase(), jobs, headBranch });
  return ok({ repository: repository.fullName, sha: body.sha.toLowerCase(), runs: runs.map((r) => r.id) });
}

/** The run and the user acting on it, for a button click or a re-run. */
function runAndUser(state: StandInState, body: JsonObject) {
  const repository = repositoryOf(state, body.repository);
  if (!repository) return bad("unknown repository");
  const id = body.check_run_id;
  const run =
    typeof id === "number" && Number.isSafeInteger(id) ? state.records.checks.run(repository.fullName, id) : undefined;
  if (!run) return bad("unknown check_run_id");
  const user = typeof body.login === "string" ? state.world.user(body.login) : undefined;
  if (!user) return bad("unknown login");
  return { repository, run, user };
}

// {"repository","check_run_id","identifier","login"}: the user clicks one of the run's buttons
function requestedAction(state: StandInState, body: JsonObject): Result {
  const found = runAndUser(state, body);
  if ("status" in found) return found;
  const click = clickCheckRunButton(state, { ...found, identifier: body.identifier });
  if (click.kind === "no-such-button") return bad("the check run has no button with that identifier");
  return ok({ check_run_id: found.run.id, identifier: click.identifier });
}

// {"repository","check_run_id","login"}: the user re-runs the check (the App that owns it is asked to)
function rerequest(state: StandInState, body: JsonObject): Result {
  const found = runAndUser(state, body);
  if ("status" in found) return found;
  emitCheckRun(state, { ...found, action: "rerequested", sender: found.user });
  return ok({ check_run_id: found.run.id });
}

export const WEBHOOK_POSTS: Record<string, (state: StandInState, body: JsonObject) => Result> = {
  "/_stand-in/webhooks": setWebhooks,
  "/_stand-in/push": push,
  "/_stand-in/workflows": workflows,
  "/_stand-in/check-runs/requested-action": requestedAction,
  "/_stand-in/check-runs/rerequest": rerequest,
};

export const WEBHOOK_GETS: Record<string, (state: StandInState) => unknown> = {
  // Every App's deliveries, newest first, each with its App's slug
  "/_stand-in/webhooks": (state) => {
    const hub = webhooksOf(state);
    return {
      controls: hub.controls,
      deliveries: hub.log.list(null).map((record) => ({
        app: state.world.apps.byId(record.appId)?.slug ?? null,
        ...deliveryDetail(record),
      })),
    };
  },
};
