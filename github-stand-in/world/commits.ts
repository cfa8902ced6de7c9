// The commits the stand-in knows: ones registered through the control plane, and, with a commit source
// (`commitsFrom`, e.g. the CodePipeline sandbox's GET /_sandbox/commits), the ones that source answers for. Commits
// never change, so what the source answered is kept; branches are asked each time, since they move.
import { createHash } from "node:crypto";
import { key } from "./names";

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601. */
  date: string;
}

export interface GitCommit {
  sha: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
}

/** The commit and its ancestors, newest first; "unreachable" when the commit source did not answer. */
export type CommitLog = GitCommit[] | "unreachable";

const SOURCE_TIMEOUT_MS = 5_000;
/** The most commits one request to the commit source asks for (the sandbox's GET /_sandbox/commits answers 300). */
const SOURCE_PAGE = 300;
export const FULL_SHA = /^[0-9a-f]{40}$/;

export interface NewCommit {
  sha?: string;
  parents?: string[];
  message: string;
  author: { name: string; email: string; date?: string };
}

export class CommitStore {
  private readonly commits = new Map<string, Map<string, GitCommit>>();
  private readonly branches = new Map<string, Map<string, string>>();

  constructor(
    private readonly source: string | undefined,
    private readonly now: () => number,
  ) {}

  private known(repository: string): Map<string, GitCommit> {
    const map = this.commits.get(key(repository)) ?? new Map<string, GitCommit>();
    this.commits.set(key(repository), map);
    return map;
  }

  /** Adds commits in order on a branch (default main): each without parents follows the one before it. */
  register(repository: string, branch: string, commits: NewCommit[]): GitCommit[] {
    const known = this.known(repository);
    const tips = this.branches.get(key(repository)) ?? new Map<string, string>();
    this.branches.set(key(repository), tips);
    let tip = tips.get(branch);
    return commits.map((c, i) => {
      const date = c.author.date ?? new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
      const parents = c.parents ?? (tip ? [tip] : []);
      const sha =
        c.sha?.toLowerCase() ??
        createHash("sha1")
          .update(`${key(repository)}|${parents.join(",")}|${c.message}|${date}|${i}`)
          .digest("hex");
      const person = { name: c.author.name, email: c.author.email, date };
      const commit: GitCommit = { sha, parents, message: c.message, author: person, committer: person };
      known.set(sha, commit);
      tip = sha;
      tips.set(branch, sha);
      return commit;
    });
  }

  /**
   * Up to `limit` commits from `ref` (a full SHA or a branch) back through first parents, ending early at the
   * first one `until` accepts (a comparison walks head's log until it meets base's).
   */
  async log(
    repository: string,
    ref: string,
    limit: number,
    until: (commit: GitCommit) => boolean = () => false,
  ): Promise<CommitLog> {
    const known = this.known(repository);
    let next = FULL_SHA.test(ref.toLowerCase()) ? ref.toLowerCase() : this.branches.get(key(repository))?.get(ref);
    const log: GitCommit[] = [];
    while (log.length < limit) {
      const commit = next === undefined ? undefined : known.get(next);
      if (commit) {
        log.push(commit);
        next = commit.parents[0];
        if (until(commit) || next === undefined) return log;
        continue;
      }
      if (!this.source) return log;
      // The source answers a bounded number at a time: a long log is read in pieces, each from where the
      // last one ended (a branch the stand-in does not know is asked of the source by name).
      const fetched = await this.fetch(repository, next ?? ref, Math.min(SOURCE_PAGE, limit - log.length));
      if (fetched === "unreachable") return log.length > 0 ? log : "unreachable";
      for (const c of fetched) known.set(c.sha, c);
      next ??= fetched[0]?.sha;
      if (next === undefined || !known.has(next)) return log;
    }
    return log;
  }

  private async fetch(repository: string, ref: string, limit: number): Promise<CommitLog> {
    const url = `${this.source}?${new URLSearchParams({ repository, ref, limit: String(limit) }).toString()}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS) });
    } catch {
      return "unreachable";
    }
    if (response.status === 404) return [];
    if (!response.ok) return "unreachable";
    const body = (await response.json().catch(() => null)) as { commits?: unknown } | null;
    if (!Array.isArray(body?.commits)) return "unreachable";
    return body.commits.flatMap((raw: unknown) => {
      const c = raw as Partial<{ sha: string; parents: string[]; message: string; author: GitPerson }>;
      if (typeof c.sha !== "string" || typeof c.message !== "string" || !c.author || !Array.isArray(c.parents))
        return [];
      const person = { name: String(c.author.name), email: String(c.author.email), date: String(c.author.date) };
      return [{ sha: c.sha, parents: c.parents, message: c.message, author: person, committer: person }];
    });
  }
}

/**
 * How head relates to base, from their logs (newest first): ahead (base is an ancestor of head), behind, identical,
 * diverged from a common ancestor, or null when the logs share no commit (GitHub: "No common ancestor").
 */
export function compareLogs(baseLog: readonly GitCommit[], headLog: readonly GitCommit[]): Comparison | null {
  const base = baseLog[0];
  const head = headLog[0];
  if (!base || !head) return null;
  const ahead = headLog.findIndex((c) => c.sha === base.sha);
  if (ahead === 0) return { status: "identical", aheadBy: 0, behindBy: 0, mergeBase: base, commits: [] };
  if (ahead > 0)
    return {
      status: "ahead",
      aheadBy: ahead,
      behindBy: 0,
      mergeBase: base,
      commits: headLog.slice(0, ahead).reverse(),
    };
  const behind = baseLog.findIndex((c) => c.sha === head.sha);
  if (behind > 0) return { status: "behind", aheadBy: 0, behindBy: behind, mergeBase: head, commits: [] };
  const inBase = new Map(baseLog.map((c, i) => [c.sha, i]));
  const fork = headLog.findIndex((c) => inBase.has(c.sha));
  const mergeBase = headLog[fork];
  if (fork < 0 || !mergeBase) return null;
  return {
    status: "diverged",
    aheadBy: fork,
    behindBy: inBase.get(mergeBase.sha) ?? 0,
    mergeBase,
    commits: headLog.slice(0, fork).reverse(),
  };
}

export interface Comparison {
  status: "identical" | "ahead" | "behind" | "diverged";
  aheadBy: number;
  behindBy: number;
  mergeBase: GitCommit;
  /** What head has that base has not, oldest first. */
  commits: GitCommit[];
}
