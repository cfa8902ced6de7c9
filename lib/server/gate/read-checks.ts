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

type RuleItem = { type?: unknown; parameters?: { required_status_checks?: { context?: unknown }[] } };
type ProtectionChecks = { contexts?: unknown[]; checks?: { context?: unknown }[] };

/** GitHub's answer for what does not exist or is not shown to the App (404, 403) reads as `empty`. */
function absentAs<T>(err: unknown, empty: T): T {
  const status = (err as { status?: unknown }).status;
  if (status === 404 || status === 403) return empty;
  throw err;
}

/**
 * The checks a branch requires before merging: its rulesets' `required_status_checks` rules (readable with the
 * repository's metadata) and its classic branch protection's (which GitHub shows an App only with the
 * administration permission; without it, or without protection, GitHub answers 403 or 404: none from there).
 */
export async function readRequiredChecks(
  octokit: AppOctokitInstance,
  repository: string,
  branch: string,
): Promise<string[]> {
  const [owner = "", repo = ""] = repository.split("/");
  const names = new Set<string>();
  const rules = await octokit
    .request("GET /repos/{owner}/{repo}/rules/branches/{branch}", { owner, repo, branch, per_page: 100 })
    .then((response) => response.data as unknown as RuleItem[])
    .catch((err: unknown) => absentAs<RuleItem[]>(err, []));
  for (const rule of Array.isArray(rules) ? rules : []) {
    if (rule.type !== "required_status_checks") continue;
    for (const check of rule.parameters?.required_status_checks ?? [])
      if (text(check.context)) names.add(text(check.context));
  }
  const protection = await octokit
    .request("GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks", { owner, repo, branch })
    .then((response) => response.data as unknown as ProtectionChecks)
    .catch((err: unknown) => absentAs<ProtectionChecks>(err, {}));
  for (const context of protection.contexts ?? []) if (text(context)) names.add(text(context));
  for (const check of protection.checks ?? []) if (text(check.context)) names.add(text(check.context));
  return [...names];
}
