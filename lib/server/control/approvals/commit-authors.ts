import "server-only";
import { z } from "zod";
import type { ApprovalCommit } from "@/lib/control/contract";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import { GitHubError, githubFetch } from "@/lib/server/github/api";
import { GITHUB_WEB_URL } from "@/lib/server/github/config";
import { userGitHubToken, type GitHubReader } from "../fresh-permission";
import { COMPARE_PAGE_SIZE, keptCommits, nextComparePage } from "./compare-pages";

// The commits an execution brings to a stage: GitHub's compare from the commit of the last execution that
// passed the stage to this execution's, resolved once with the token of whoever looks first (the panel's
// reader or the decider) and kept in ExecutionCommits, so a decision costs at most the permission read plus,
// the first time only, this compare (a page per 100 commits, ten at most). The only reader and writer of
// ExecutionCommits.commits (versioned).
// Authors are GitHub accounts by id; an author without a linked account is kept as a name, never matched.
// A change longer than Stageboard reads (compare-pages.ts) is kept with its full count, so the rule and the
// panel can say that some authors are unknown.

const SHA = /^[0-9a-f]{7,64}$/i;

export interface ResolvedCommit extends ApprovalCommit {
  authorGithubId: bigint | null;
}

/** The commits read for a change, and how many it has in all (more than read: the rest's authors are unknown). */
export interface ChangeCommits {
  commits: ResolvedCommit[];
  totalCommits: number;
}

export interface ExecutionChange extends ChangeCommits {
  baseSha: string | null;
  headSha: string | null;
  compareUrl: string | null;
}

const storedCommit = z.object({
  sha: z.string(),
  message: z.string(),
  url: z.string().nullable(),
  authorLogin: z.string().nullable(),
  authorName: z.string().nullable(),
  authorGithubId: z.string().nullable(),
});
// v1 held every commit GitHub's first compare answer listed; v2 adds how many the change has in all.
const storedSchema = z.discriminatedUnion("v", [
  z.object({ v: z.literal(1), commits: z.array(storedCommit) }),
  z.object({ v: z.literal(2), commits: z.array(storedCommit), totalCommits: z.number().int().nonnegative() }),
]);

const githubCommit = z.object({
  sha: z.string().regex(SHA),
  html_url: z.string().optional(),
  commit: z.object({ message: z.string(), author: z.object({ name: z.string().nullish() }).nullish() }),
  author: z.object({ login: z.string(), id: z.number().int().positive().refine(Number.isSafeInteger) }).nullish(),
});
const comparePayload = z.object({ total_commits: z.number().int().nonnegative(), commits: z.array(z.unknown()) });

const httpUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

function fromGitHub(raw: unknown): ResolvedCommit | null {
  const parsed = githubCommit.safeParse(raw);
  if (!parsed.success) return null;
  const c = parsed.data;
  return {
    sha: c.sha,
    message: c.commit.message.slice(0, 2_000),
    url: httpUrl(c.html_url),
    authorLogin: c.author?.login ?? null,
    authorName: c.commit.author?.name?.slice(0, 200) ?? null,
    authorGithubId: c.author ? BigInt(c.author.id) : null,
  };
}

type Scope = { pipelineId: string; executionId: string; stageName: string };

/** The head and base of the change: this execution's commit, and that of the last one that passed the stage. */
async function range(db: Db, scope: Scope): Promise<{ headSha: string | null; baseSha: string | null } | null> {
  const head = await db.execution.findUnique({
    where: { pipelineId_executionId: { pipelineId: scope.pipelineId, executionId: scope.executionId } },
    select: { commitSha: true, startTime: true },
  });
  // Not synced yet: nothing can be said about its commits.
  if (!head) return null;
  if (!head.commitSha || !SHA.test(head.commitSha)) return { headSha: null, baseSha: null };
  const passed = await db.execution.findFirst({
    where: {
      pipelineId: scope.pipelineId,
      executionId: { not: scope.executionId },
      startTime: { lt: head.startTime },
      commitSha: { not: null },
      stageExecutions: { some: { stageName: scope.stageName, status: "Succeeded" } },
    },
    orderBy: { startTime: "desc" },
    select: { commitSha: true },
  });
  const baseSha = passed?.commitSha && SHA.test(passed.commitSha) ? passed.commitSha : null;
  return { headSha: head.commitSha, baseSha };
}

export function compareUrlFor(repository: string, baseSha: string | null, headSha: string | null): string | null {
  if (!baseSha || !headSha || baseSha === headSha) return null;
  return `${GITHUB_WEB_URL}/${repository}/compare/${baseSha}...${headSha}`;
}

function parseCommits(raw: readonly unknown[]): ResolvedCommit[] {
  const commits = raw.map(fromGitHub);
  if (commits.some((c) => c === null)) throw new GitHubError(0, "GitHub sent an unreadable commit");
  return commits as ResolvedCommit[];
}

/** Every page of the comparison, up to the cap (compare-pages.ts). */
async function compareCommits(read: GitHubReader, repo: string, basehead: string): Promise<ChangeCommits> {
  const kept: ResolvedCommit[] = [];
  let progress = { pages: 0, commits: 0, total: 0, lastPageSize: 0 };
  for (let page = nextComparePage(progress); page !== null; page = nextComparePage(progress)) {
    const query = new URLSearchParams({ per_page: String(COMPARE_PAGE_SIZE), page: String(page) });
    const body = comparePayload.safeParse(await read(`${repo}/compare/${basehead}?${query.toString()}`));
    if (!body.success) throw new GitHubError(0, "GitHub sent an unreadable comparison");
    const commits = parseCommits(body.data.commits);
    kept.push(...commits);
    progress = { pages: page, commits: kept.length, total: body.data.total_commits, lastPageSize: commits.length };
  }
  return keptCommits(kept, progress.total);
}

async function fetchCommits(
  read: GitHubReader,
  repository: string,
  baseSha: string | null,
  headSha: string,
): Promise<ChangeCommits> {
  const [owner = "", name = ""] = repository.split("/");
  const repo = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  if (baseSha === headSha) return { commits: [], totalCommits: 0 };
  if (!baseSha) {
    const one = fromGitHub(await read(`${repo}/commits/${headSha}`));
    if (!one) throw new GitHubError(0, "GitHub sent an unreadable commit");
    return { commits: [one], totalCommits: 1 };
  }
  return compareCommits(read, repo, `${baseSha}...${headSha}`);
}

function toStored(change: ChangeCommits): Prisma.InputJsonValue {
  return {
    v: 2,
    totalCommits: change.totalCommits,
    commits: change.commits.map((c) => ({ ...c, authorGithubId: c.authorGithubId?.toString() ?? null })),
  };
}

function fromStored(value: unknown): ChangeCommits | null {
  const parsed = storedSchema.safeParse(value);
  if (!parsed.success) return null;
  const commits = parsed.data.commits.map((c) => ({
    ...c,
    authorGithubId: c.authorGithubId ? BigInt(c.authorGithubId) : null,
  }));
  // A v1 row was written from the one answer that was read; it is taken as the whole change, as it was.
  const total = parsed.data.v === 2 ? parsed.data.totalCommits : commits.length;
  return { commits, totalCommits: Math.max(total, commits.length) };
}

/** The user's token as a reader, or the reader given; null when the user has no usable token. */
async function readerFor(db: Db, userIdOrReader: string | GitHubReader): Promise<GitHubReader | null> {
  if (typeof userIdOrReader !== "string") return userIdOrReader;
  const token = await userGitHubToken(userIdOrReader, db);
  if (!token) return null;
  return async (path) => (await githubFetch(path, token)).json() as Promise<unknown>;
}

/** What is stored for the change, without asking GitHub (advisory rights, lists). */
export async function cachedChange(db: Db, scope: Scope, repository: string): Promise<ExecutionChange | null> {
  const row = await db.executionCommits.findUnique({ where: { pipelineId_executionId_stageName: scope } });
  const stored = row ? fromStored(row.commits) : null;
  if (!row || !stored) return null;
  return {
    ...stored,
    baseSha: row.baseSha,
    headSha: row.headSha,
    compareUrl: compareUrlFor(repository, row.baseSha, row.headSha),
  };
}

/**
 * The change's commits, from the cache or (the first time) from GitHub with `userId`'s token (or `reader`: the App's
 * installation, for a click on GitHub). Null when GitHub could not say (unreachable, the commits unknown to it):
 * self-approval then cannot be ruled out.
 */
export async function resolveChange(
  db: Db,
  scope: Scope,
  repository: string,
  userIdOrReader: string | GitHubReader,
): Promise<ExecutionChange | null> {
  const cached = await cachedChange(db, scope, repository);
  if (cached) return cached;
  const found = await range(db, scope);
  if (!found) return null;
  const { headSha, baseSha } = found;
  let change: ChangeCommits = { commits: [], totalCommits: 0 };
  if (headSha) {
    const read = await readerFor(db, userIdOrReader);
    if (!read) return null;
    try {
      change = await fetchCommits(read, repository, baseSha, headSha);
    } catch {
      return null;
    }
  }
  // Everyone deciding at once resolves the change: the first row stands, the others add nothing (an upsert
  // here fails on the row a concurrent one inserted first).
  await db.executionCommits.createMany({
    data: [{ ...scope, baseSha, headSha, commits: toStored(change) }],
    skipDuplicates: true,
  });
  return { ...change, baseSha, headSha, compareUrl: compareUrlFor(repository, baseSha, headSha) };
}
