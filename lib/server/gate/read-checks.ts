import "server-only";
import type { AppOctokitInstance } from "@/lib/server/github/app";
import type { CheckRunFact, CheckSuiteFact, CommitChecks, StatusFact } from "./decide/evaluate-checks";

// A commit's checks as GitHub says them now, through the App's installation: every check run (the latest of each
// name and App, as GitHub's `filter=latest` gives them), every check suite GitHub made for the commit, and the latest
// status of each context. Always read afresh rather than pieced together from webhook payloads: one event tells
// about one run of one App, and events arrive late, twice or out of order. Unknown shapes read as missing fields,
// never as a pass.

const PER_PAGE = 100;
/** GitHub lists at most 1,000 check suites per ref; ten pages of a hundred hold every list read here. */
const MAX_PAGES = 10;

/** The `key` list of every page of an object-wrapped list, page by page while GitHub links a next one. */
async function everyPage<T>(
  octokit: AppOctokitInstance,
  route: string,
  key: string,
  params: Record<string, string>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await octokit.request(route, { ...params, per_page: PER_PAGE, page });
    const body = response.data as Record<string, unknown> | null;
    const list = body && typeof body === "object" ? body[key] : undefined;
    if (!Array.isArray(list)) throw new Error(`GitHub sent a page of ${route} without ${key}`);
    items.push(...(list as T[]));
    if (!/rel="next"/.test(String(response.headers.link ?? ""))) break;
  }
  return items;
}

type RunItem = { name?: unknown; status?: unknown; conclusion?: unknown; app?: { id?: unknown } | null };
type SuiteItem = {
  status?: unknown;
  conclusion?: unknown;
  latest_check_runs_count?: unknown;
  app?: { id?: unknown; name?: unknown } | null;
};
type StatusItem = { context?: unknown; state?: unknown };

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const id = (value: unknown): number | null => (typeof value === "number" && Number.isSafeInteger(value) ? value : null);

export async function readCommitChecks(
  octokit: AppOctokitInstance,
  repository: string,
  sha: string,
): Promise<CommitChecks> {
  const [owner = "", repo = ""] = repository.split("/");
  const list = <T>(route: string, key: string, extra: Record<string, string> = {}) =>
    everyPage<T>(octokit, route, key, { owner, repo, ref: sha, ...extra });
  const [runs, suites, statuses] = await Promise.all([
    list<RunItem>("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", "check_runs", { filter: "latest" }),
    list<SuiteItem>("GET /repos/{owner}/{repo}/commits/{ref}/check-suites", "check_suites"),
    // The combined status holds the latest status of each context; its pages page through `statuses`.
    list<StatusItem>("GET /repos/{owner}/{repo}/commits/{ref}/status", "statuses"),
  ]);
  return {
    runs: runs.map((r): CheckRunFact => ({
      name: text(r.name),
      appId: id(r.app?.id),
      status: text(r.status),
      conclusion: typeof r.conclusion === "string" ? r.conclusion : null,
    })),
    suites: suites.map((s): CheckSuiteFact => ({
      appId: id(s.app?.id),
      appName: text(s.app?.name) || "An App",
      status: text(s.status),
      conclusion: typeof s.conclusion === "string" ? s.conclusion : null,
      runCount: id(s.latest_check_runs_count) ?? 0,
    })),
    statuses: statuses.map((s): StatusFact => ({ context: text(s.context), state: text(s.state) })),
  };
}
