import "server-only";
import type { AppOctokitInstance } from "@/lib/server/github/app";
import { everyPage } from "@/lib/server/github/list-pages";
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
function allPages<T>(
  octokit: AppOctokitInstance,
  route: string,
  key: string,
  params: Record<string, string>,
): Promise<T[]> {
  return everyPage<T>({
    key,
    maxPages: MAX_PAGES,
    // Octokit knows the API's address and counts pages; GitHub's link only says whether there is another.
    fetchPage: async (page) => {
      const response = await octokit.request(route, { ...params, per_page: PER_PAGE, page });
      return { body: response.data, link: response.headers.link };
    },
    invalid: (message) => new Error(`${message} (${route})`),
  });
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
    allPages<T>(octokit, route, key, { owner, repo, ref: sha, ...extra });
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
/** What one source said: its names, or that GitHub would not show it to the App (403, or 404 for the rules). */
type Source = { kind: "read"; names: string[] } | { kind: "unreadable" };

const statusOf = (err: unknown) => (err as { status?: unknown }).status;

async function rulesetChecks(octokit: AppOctokitInstance, owner: string, repo: string, branch: string) {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
      owner,
      repo,
      branch,
      per_page: 100,
    });
    const rules = response.data as unknown as RuleItem[];
    const names = (Array.isArray(rules) ? rules : [])
      .filter((rule) => rule.type === "required_status_checks")
      .flatMap((rule) => (rule.parameters?.required_status_checks ?? []).map((check) => text(check.context)));
    return { kind: "read", names } satisfies Source;
  } catch (err) {
    // A GitHub Enterprise Server older than rulesets has no such route (404).
    if (statusOf(err) === 404 || statusOf(err) === 403) return { kind: "unreadable" } satisfies Source;
    throw err;
  }
}

async function protectionChecks(octokit: AppOctokitInstance, owner: string, repo: string, branch: string) {
  try {
    const response = await octokit.request(
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
      { owner, repo, branch },
    );
    const protection = response.data as unknown as ProtectionChecks;
    const names = [
      ...(protection.contexts ?? []).map(text),
      ...(protection.checks ?? []).map((check) => text(check.context)),
    ];
    return { kind: "read", names } satisfies Source;
  } catch (err) {
    // 404: the branch is not protected, or its protection requires no checks. 403: the App lacks administration.
    if (statusOf(err) === 404) return { kind: "read", names: [] } satisfies Source;
    if (statusOf(err) === 403) return { kind: "unreadable" } satisfies Source;
    throw err;
  }
}

// When the branch's requirement yields no name, the gate still must not release (nothing would have been checked),
// so it waits for a description of what is missing instead: a name no check carries, which its check run shows.

/** What the gate waits for when it cannot know the branch's required checks. */
export const unreadableRequiredChecks = (branch: string) =>
  `the required checks of ${branch}, which Stageboard's GitHub App cannot read: give it the Administration ` +
  `(read) permission, or name the checks in the gate's settings`;

/** What the gate waits for when the branch requires no check at all. */
export const noRequiredChecks = (branch: string) =>
  `a check that ${branch} requires: it requires none (require some in a ruleset or its branch protection, or ` +
  `name the checks in the gate's settings)`;

/**
 * The checks a branch requires before merging: its rulesets' `required_status_checks` rules (readable with the
 * repository's metadata) and its classic branch protection's (which GitHub shows an App only with the
 * administration permission). When neither names a check, the gate waits for `unreadableRequiredChecks` if one
 * of them could not be read (the requirement is unknown), else for `noRequiredChecks`.
 */
export async function readRequiredChecks(
  octokit: AppOctokitInstance,
  repository: string,
  branch: string,
): Promise<string[]> {
  const [owner = "", repo = ""] = repository.split("/");
  const sources = [
    await rulesetChecks(octokit, owner, repo, branch),
    await protectionChecks(octokit, owner, repo, branch),
  ];
  const names = new Set(sources.flatMap((s) => (s.kind === "read" ? s.names : [])).filter(Boolean));
  if (names.size > 0) return [...names];
  return [sources.some((s) => s.kind === "unreadable") ? unreadableRequiredChecks(branch) : noRequiredChecks(branch)];
}
