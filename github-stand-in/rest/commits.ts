import { commitShape, comparisonShape } from "../shapes/git-commit";
import { paginate } from "../http/pagination";
import { compareLogs } from "../world/commits";
import { repositoryAccess } from "./access";
import type { RestContext } from "./context";
import { fail, notFound, reply } from "./context";

const COMMIT_DOCS = "https://docs.github.com/rest/commits/commits#get-a-commit";
const COMPARE_DOCS = "https://docs.github.com/rest/commits/commits#compare-two-commits";
/** How far back from base a comparison looks for the common ancestor of diverged refs. */
const BASE_DEPTH = 300;
/** How far back from head a comparison looks for base (GitHub has no such bound; the stand-in keeps one). */
const HEAD_DEPTH = 10_000;
/** Asked without `page` or `per_page`, GitHub lists at most 250 commits of a comparison: the newest. */
const UNPAGED_COMMITS = 250;

// GET /repos/{owner}/{repo}/commits/{ref} – one commit (a full SHA or a branch), with its linked accounts
export async function getCommit(ctx: RestContext): Promise<void> {
  const access = repositoryAccess(ctx, { minimum: "read", scopes: ["repo"], docs: COMMIT_DOCS });
  if (!access) return;
  const ref = ctx.params.ref ?? "";
  const log = await ctx.state.commits.log(access.repository.fullName, ref, 1);
  if (log === "unreachable") return fail(ctx, 503, "Service Unavailable");
  const commit = log[0];
  if (!commit) return fail(ctx, 422, `No commit found for SHA: ${ref}`, COMMIT_DOCS);
  const users = [...ctx.state.world.users.values()];
  reply(ctx, 200, {
    ...commitShape({ repository: access.repository.fullName, commit, users, base: ctx.base }),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: [],
  });
}

// GET /repos/{owner}/{repo}/compare/{basehead} – what head brings since base (`base...head`), oldest first
export async function compareCommits(ctx: RestContext): Promise<void> {
  const access = repositoryAccess(ctx, { minimum: "read", scopes: ["repo"], docs: COMPARE_DOCS });
  if (!access) return;
  const basehead = ctx.params.basehead ?? "";
  const [, baseRef, headRef] = /^(.+?)\.\.\.(.+)$/.exec(basehead) ?? [];
  if (!baseRef || !headRef) return notFound(ctx, COMPARE_DOCS);
  const repository = access.repository.fullName;
  const baseLog = await ctx.state.commits.log(repository, baseRef, BASE_DEPTH);
  if (baseLog === "unreachable") return fail(ctx, 503, "Service Unavailable");
  // Head's log is read only as far as the first commit base's log has: all a comparison needs, however long.
  const inBase = new Set(baseLog.map((c) => c.sha));
  const headLog = await ctx.state.commits.log(repository, headRef, HEAD_DEPTH, (c) => inBase.has(c.sha));
  if (headLog === "unreachable") return fail(ctx, 503, "Service Unavailable");
  const base = baseLog[0];
  if (!base || !headLog[0]) return notFound(ctx, COMPARE_DOCS);
  const comparison = compareLogs(baseLog, headLog);
  if (!comparison) return fail(ctx, 404, `No common ancestor between ${baseRef} and ${headRef}.`, COMPARE_DOCS);
  const paged = ctx.url.searchParams.has("page") || ctx.url.searchParams.has("per_page");
  const page = paged
    ? paginate(comparison.commits, ctx.url, ctx.base)
    : { items: comparison.commits.slice(-UNPAGED_COMMITS), link: null };
  const users = [...ctx.state.world.users.values()];
  reply(
    ctx,
    200,
    comparisonShape({ repository, basehead, base, comparison, page: page.items, users, origin: ctx.base }),
    page.link ? { link: page.link } : {},
  );
}
