import { paginate } from "../http/pagination";
import { checkRun } from "../shapes/commit";
import { CHECK_STATUSES, isOneOf, resolveSha } from "../world/records";
import { repositoryAccess } from "./access";
import type { RestContext } from "./context";
import { reply } from "./context";

const DOCS = "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference";

// GET /repos/{owner}/{repo}/commits/{ref}/check-runs – exactly {total_count, check_runs}, as Octokit's paginator expects
export function listCheckRuns(ctx: RestContext): void {
  const access = repositoryAccess(ctx, { minimum: "read", scopes: ["repo"], docs: DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.ref ?? "");
  const name = ctx.url.searchParams.get("check_name");
  const status = ctx.url.searchParams.get("status");
  const runs = ctx.state.records
    .checkRunsFor(repository, sha)
    .filter((run) => name === null || run.name === name)
    .filter((run) => !isOneOf(CHECK_STATUSES, status) || run.status === status)
    .sort((a, b) => b.id - a.id);
  const page = paginate(runs, ctx.url, ctx.base);
  reply(
    ctx,
    200,
    {
      total_count: runs.length,
      check_runs: page.items.map((run) => checkRun(run, ctx.base)),
    },
    page.link ? { link: page.link } : {},
  );
}
