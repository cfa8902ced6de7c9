import { isoTime } from "../shapes/urls";
import { FULL_SHA } from "../world/commits";
import { parseCheckRunBody } from "./check-runs-input";
import { shapeRun } from "./check-runs";
import { applyUpdate, newRun, settleStale } from "./check-runs-state";
import type { RestContext } from "./context";
import { fail, notFound, reply, validationFailed } from "./context";
import { reportAccess } from "./report-access";
import { checkRunChanged, suiteCompleted } from "../webhooks/events";

const CREATE_DOCS = "https://docs.github.com/rest/checks/runs#create-a-check-run";
const UPDATE_DOCS = "https://docs.github.com/rest/checks/runs#update-a-check-run";
// "OAuth apps and authenticated users can view check runs and check suites, but they are not able to create them."
const APPS_ONLY = "You must authenticate via a GitHub App.";

// POST /repos/{owner}/{repo}/check-runs – only a GitHub App (an installation token with checks:write) may create one
export function createCheckRun(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "checks", level: "write", scopes: ["repo"], docs: CREATE_DOCS });
  if (!access) return;
  if (!access.app) return fail(ctx, 403, APPS_ONLY, CREATE_DOCS);
  const parsed = parseCheckRunBody(ctx.body, "create");
  if (parsed.kind === "invalid") return fail(ctx, 422, parsed.message, CREATE_DOCS);
  if (parsed.kind === "failed") return validationFailed(ctx, parsed.errors, CREATE_DOCS);
  const { name = "", headSha = "" } = parsed.input;
  // Check runs hang on a commit, named by its full SHA: a branch or a short SHA is no commit to GitHub here.
  if (!FULL_SHA.test(headSha)) return fail(ctx, 422, `No commit found for SHA: ${headSha}`, CREATE_DOCS);

  const repository = access.repository.fullName;
  const nowMs = ctx.state.now();
  const now = isoTime(nowMs);
  const checks = ctx.state.records.checks;
  const suite = checks.ensureSuite({ repository, sha: headSha, appId: access.app.id, headBranch: null, now });
  const suiteWasCompleted = suiteCompleted(ctx.state, suite.id);
  const run = checks.add(
    newRun(
      { ...parsed.input, name },
      { repository, sha: headSha, appId: access.app.id, suiteId: suite.id, now, nowMs },
    ),
    now,
  );
  reply(ctx, 201, shapeRun(ctx, run));
  const changed = { run, repository: access.repository, created: true, wasCompleted: false, suiteWasCompleted };
  checkRunChanged(ctx.state, changed);
}

// PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} – only the App that created the run may change it
export function updateCheckRun(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "checks", level: "write", scopes: ["repo"], docs: UPDATE_DOCS });
  if (!access) return;
  if (!access.app) return fail(ctx, 403, APPS_ONLY, UPDATE_DOCS);
  const id = Number(ctx.params.check_run_id);
  const run = Number.isSafeInteger(id) ? ctx.state.records.checks.run(access.repository.fullName, id) : undefined;
  if (!run) return notFound(ctx, UPDATE_DOCS);
  if (run.appId !== access.app.id) {
    const message = `Invalid app_id \`${run.appId}\` - check run can only be modified by the GitHub App that created it.`;
    return fail(ctx, 403, message, UPDATE_DOCS);
  }
  const parsed = parseCheckRunBody(ctx.body, "update");
  if (parsed.kind === "invalid") return fail(ctx, 422, parsed.message, UPDATE_DOCS);
  if (parsed.kind === "failed") return validationFailed(ctx, parsed.errors, UPDATE_DOCS);
  const nowMs = ctx.state.now();
  settleStale(run, nowMs);
  const wasCompleted = run.status === "completed";
  const suiteWasCompleted = suiteCompleted(ctx.state, run.suiteId);
  applyUpdate(run, parsed.input, isoTime(nowMs));
  ctx.state.records.checks.touch(run.suiteId, isoTime(nowMs));
  reply(ctx, 200, shapeRun(ctx, run));
  checkRunChanged(ctx.state, { run, repository: access.repository, created: false, wasCompleted, suiteWasCompleted });
}
