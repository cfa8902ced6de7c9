import { paginate } from "../http/pagination";
import type { StandInState } from "../state";
import type { CheckRunRecord } from "../world/records";
import { CHECK_STATUSES, isOneOf, resolveSha } from "../world/records";
import { checkRunShape } from "./check-runs-shape";
import { latestRuns, settleStale } from "./check-runs-state";
import type { RestContext } from "./context";
import { notFound, reply } from "./context";
import { appById, reportAccess } from "./report-access";

const LIST_DOCS = "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference";
const GET_DOCS = "https://docs.github.com/rest/checks/runs#get-a-check-run";

/** A commit's runs as the clock now sees them: runs left incomplete for 14 days have turned stale. */
export function currentRuns(state: StandInState, repository: string, sha: string): CheckRunRecord[] {
  const runs = state.records.checks.runsFor(repository, sha);
  const nowMs = state.now();
  for (const run of runs) settleStale(run, nowMs);
  return runs;
}

export function shapeRun(ctx: RestContext, run: CheckRunRecord): Record<string, unknown> {
  return checkRunShape(run, appById(ctx.state, run.appId), ctx.base);
}

// GET /repos/{owner}/{repo}/commits/{ref}/check-runs – exactly {total_count, check_runs}, as Octokit's paginator expects
export function listCheckRuns(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "checks", level: "read", scopes: ["repo"], docs: LIST_DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.ref ?? "");
  const query = ctx.url.searchParams;
  const name = query.get("check_name");
  const status = query.get("status");
  const appId = query.get("app_id");
  const runs = currentRuns(ctx.state, repository, sha);
  const runsShown = query.get("filter") === "all" ? runs : latestRuns(runs);
  const matching = runsShown
    .filter((run) => name === null || run.name === name)
    .filter((run) => !isOneOf(CHECK_STATUSES, status) || run.status === status)
    .filter((run) => appId === null || String(run.appId) === appId)
    .sort((a, b) => b.id - a.id);
  const page = paginate(matching, ctx.url, ctx.base);
  reply(
    ctx,
    200,
    { total_count: matching.length, check_runs: page.items.map((run) => shapeRun(ctx, run)) },
    page.link ? { link: page.link } : {},
  );
}

// GET /repos/{owner}/{repo}/check-runs/{check_run_id} – any run on a repository the caller may read checks of
export function getCheckRun(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "checks", level: "read", scopes: ["repo"], docs: GET_DOCS });
  if (!access) return;
  const id = Number(ctx.params.check_run_id);
  const run = Number.isSafeInteger(id) ? ctx.state.records.checks.run(access.repository.fullName, id) : undefined;
  if (!run) return notFound(ctx, GET_DOCS);
  settleStale(run, ctx.state.now());
  reply(ctx, 200, shapeRun(ctx, run));
}
