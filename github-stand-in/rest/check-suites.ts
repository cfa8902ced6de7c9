import { createHash } from "node:crypto";
import { paginate } from "../http/pagination";
import { minimalRepository } from "../shapes/repository";
import { apiUrl, nodeId } from "../shapes/urls";
import type { GitCommit } from "../world/commits";
import type { CheckSuiteRecord } from "../world/records";
import { resolveSha } from "../world/records";
import { integrationShape } from "./check-runs-apps";
import { currentRuns } from "./check-runs";
import { latestRuns, suiteState } from "./check-runs-state";
import type { RestContext } from "./context";
import { notFound, reply } from "./context";
import type { ReportAccess } from "./report-access";
import { appById, reportAccess } from "./report-access";

const LIST_DOCS = "https://docs.github.com/rest/checks/suites#list-check-suites-for-a-git-reference";
const GET_DOCS = "https://docs.github.com/rest/checks/suites#get-a-check-suite";

/** `simple-commit`: the commit as the stand-in knows it, or just its SHA when it does not. */
function headCommit(sha: string, commit: GitCommit | undefined, fallbackTime: string): Record<string, unknown> {
  const tree = createHash("sha1").update(`tree:${sha}`).digest("hex");
  if (!commit) return { id: sha, tree_id: tree, message: "", timestamp: fallbackTime, author: null, committer: null };
  const person = (p: GitCommit["author"]) => ({ name: p.name, email: p.email });
  return {
    id: sha,
    tree_id: tree,
    message: commit.message,
    timestamp: commit.committer.date,
    author: person(commit.author),
    committer: person(commit.committer),
  };
}

async function suiteShape(
  ctx: RestContext,
  access: ReportAccess,
  suite: CheckSuiteRecord,
): Promise<Record<string, unknown>> {
  const latest = latestRuns(currentRuns(ctx.state, suite.repository, suite.sha).filter((r) => r.suiteId === suite.id));
  const { status, conclusion } = suiteState(latest);
  const log = await ctx.state.commits.log(suite.repository, suite.sha, 1);
  const app = appById(ctx.state, suite.appId);
  const url = apiUrl(ctx.base, `/repos/${suite.repository}/check-suites/${suite.id}`);
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.sha,
    status,
    conclusion,
    url,
    before: null,
    after: suite.sha,
    pull_requests: [],
    app: app ? integrationShape(app, ctx.base) : null,
    repository: minimalRepository(access.repository, access.owner, ctx.base),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
    head_commit: headCommit(suite.sha, log === "unreachable" ? undefined : log[0], suite.createdAt),
    latest_check_runs_count: latest.length,
    check_runs_url: `${url}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

// GET /repos/{owner}/{repo}/commits/{ref}/check-suites – one suite per App that reported on (or was asked about) the commit
export async function listCheckSuites(ctx: RestContext): Promise<void> {
  const access = reportAccess(ctx, { permission: "checks", level: "read", scopes: ["repo"], docs: LIST_DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.ref ?? "");
  const appId = ctx.url.searchParams.get("app_id");
  const name = ctx.url.searchParams.get("check_name");
  const runs = currentRuns(ctx.state, repository, sha);
  const suites = ctx.state.records.checks
    .suitesFor(repository, sha)
    .filter((s) => appId === null || String(s.appId) === appId)
    .filter((s) => name === null || runs.some((r) => r.suiteId === s.id && r.name === name))
    .sort((a, b) => b.id - a.id);
  const page = paginate(suites, ctx.url, ctx.base);
  const shaped = await Promise.all(page.items.map((suite) => suiteShape(ctx, access, suite)));
  reply(ctx, 200, { total_count: suites.length, check_suites: shaped }, page.link ? { link: page.link } : {});
}

// GET /repos/{owner}/{repo}/check-suites/{check_suite_id}
export async function getCheckSuite(ctx: RestContext): Promise<void> {
  const access = reportAccess(ctx, { permission: "checks", level: "read", scopes: ["repo"], docs: GET_DOCS });
  if (!access) return;
  const id = Number(ctx.params.check_suite_id);
  const suite = Number.isSafeInteger(id) ? ctx.state.records.checks.suite(access.repository.fullName, id) : undefined;
  if (!suite) return notFound(ctx, GET_DOCS);
  reply(ctx, 200, await suiteShape(ctx, access, suite));
}
