// The commits behind the source revisions. Each pipeline delivers its own line of commits (as if each watched a
// branch of its own): history execution i delivers commit c(i), preceded by up to two commits no execution
// delivered, each the parent of the next, back to a root commit. History commits are pure functions of the
// pipeline's history plan, like its executions; pushes while running are kept on the pipeline record. The GitHub
// stand-in reads them from the control plane (GET /_sandbox/commits), so both doubles agree on SHAs, messages and
// authors.
import { pickBy, shaFrom, unit } from "../core/hash";
import type { CommitAuthor, CommitRecord, HistoryPlan, PipelineRecord } from "../core/types";
import { COMMIT_MESSAGES, DEFAULT_AUTHORS } from "../fleet/catalog";

/** Live commits kept per pipeline; older ones drop out of the line (GitHub would still have them). */
const LIVE_COMMITS_KEPT = 500;
const MAX_EXTRA = 2;

export interface Commit {
  sha: string;
  message: string;
  createdMs: number;
}

export function historyStartMs(plan: HistoryPlan, i: number): number {
  return Math.round(plan.fromMs + i * plan.everyMs + unit(plan.key, i, "start") * plan.everyMs * 0.6);
}

/** The commit history execution i delivers. */
export function historyCommit(plan: HistoryPlan, i: number): Commit {
  return {
    sha: shaFrom(plan.key, i, "sha"),
    message: pickBy(COMMIT_MESSAGES, unit(plan.key, i, "msg")),
    createdMs: historyStartMs(plan, i) - Math.round(unit(plan.key, i, "age") * 3_600_000),
  };
}

function authorsOf(p: PipelineRecord): CommitAuthor[] {
  return p.authors?.length ? p.authors : DEFAULT_AUTHORS;
}

function primaryOf(p: PipelineRecord): CommitAuthor {
  return authorsOf(p)[0] ?? DEFAULT_AUTHORS[0];
}

/** Delivered commits are by the pipeline's first author; the ones between by the others. */
function authorBetween(p: PipelineRecord, u: number): CommitAuthor {
  const authors = authorsOf(p);
  return pickBy(authors.length > 1 ? authors.slice(1) : authors, u);
}

function rootOf(p: PipelineRecord, plan: HistoryPlan): CommitRecord {
  return {
    sha: shaFrom(plan.key, "root"),
    parents: [],
    message: "Initial commit",
    author: primaryOf(p),
    createdMs: plan.fromMs - 30 * 86_400_000,
  };
}

/** The commits that lead up to `delivered` after `parent`, then `delivered` itself, oldest first. */
function line(
  p: PipelineRecord,
  key: string,
  parent: string | undefined,
  delivered: Commit,
  author: CommitAuthor,
): CommitRecord[] {
  const extra = Math.floor(unit(key, "extra-commits") * (MAX_EXTRA + 1));
  const commits: CommitRecord[] = [];
  let previous = parent;
  for (let j = 0; j < extra; j++) {
    const sha = shaFrom(key, "pre", j);
    commits.push({
      sha,
      parents: previous ? [previous] : [],
      message: pickBy(COMMIT_MESSAGES, unit(key, "pre-msg", j)),
      author: authorBetween(p, unit(key, "pre-author", j)),
      createdMs: delivered.createdMs - (extra - j) * (600_000 + Math.round(unit(key, "pre-age", j) * 3_000_000)),
    });
    previous = sha;
  }
  commits.push({ ...delivered, parents: previous ? [previous] : [], author });
  return commits;
}

function historyGroup(p: PipelineRecord, plan: HistoryPlan, i: number): CommitRecord[] {
  const parent = i > 0 ? shaFrom(plan.key, i - 1, "sha") : rootOf(p, plan).sha;
  return line(p, `${plan.key}|${i}`, parent, historyCommit(plan, i), primaryOf(p));
}

/** sha -> history execution index (-1 for the root), built once per history plan. */
const indexes = new Map<string, Map<string, number>>();

function historyIndex(p: PipelineRecord, plan: HistoryPlan): Map<string, number> {
  const cacheKey = `${plan.key}|${plan.count}|${plan.fromMs}|${plan.everyMs}`;
  let index = indexes.get(cacheKey);
  if (!index) {
    index = new Map([[rootOf(p, plan).sha, -1]]);
    for (let i = 0; i < plan.count; i++) {
      const key = `${plan.key}|${i}`;
      const extra = Math.floor(unit(key, "extra-commits") * (MAX_EXTRA + 1));
      for (let j = 0; j < extra; j++) index.set(shaFrom(key, "pre", j), i);
      index.set(shaFrom(plan.key, i, "sha"), i);
    }
    indexes.set(cacheKey, index);
  }
  return index;
}

export function findCommit(p: PipelineRecord, sha: string): CommitRecord | undefined {
  const live = p.commits?.find((c) => c.sha === sha);
  if (live) return live;
  const plan = p.history;
  if (!plan) return undefined;
  const i = historyIndex(p, plan).get(sha);
  if (i === undefined) return undefined;
  if (i === -1) return rootOf(p, plan);
  return historyGroup(p, plan, i).find((c) => c.sha === sha);
}

/** The commit and its ancestors, newest first, at most `limit`. */
export function commitLog(p: PipelineRecord, sha: string, limit: number): CommitRecord[] {
  const log: CommitRecord[] = [];
  let next: string | undefined = sha;
  while (next !== undefined && log.length < limit) {
    const commit = findCommit(p, next);
    if (!commit) break;
    log.push(commit);
    next = commit.parents[0];
  }
  return log;
}

/** The newest commit of the pipeline's line: the last push, else what the last history execution delivered. */
export function tipOf(p: PipelineRecord): string | undefined {
  if (p.head) return p.head.sha;
  const plan = p.history;
  if (!plan) return undefined;
  return plan.count > 0 ? shaFrom(plan.key, plan.count - 1, "sha") : rootOf(p, plan).sha;
}

/** Records a push ending in `head`: the commits before it, then it, on top of the line's tip. */
export function recordPush(p: PipelineRecord, head: Commit, author?: CommitAuthor): void {
  const commits = line(p, head.sha, tipOf(p), head, author ?? primaryOf(p));
  p.commits = [...(p.commits ?? []), ...commits].slice(-LIVE_COMMITS_KEPT);
  p.head = head;
}
