// GitHub's `commit` (GET /repos/{owner}/{repo}/commits/{ref}, and each of a comparison's commits) and
// `commit-comparison`. The commit's `author`/`committer` accounts are the users whose e-mail the commit carries, as
// GitHub links them; a commit by an address no user has shows `author: null`.
import { createHash } from "node:crypto";
import type { Comparison, GitCommit } from "../world/commits";
import type { Account, UserRecord } from "../world/world";
import { apiUrl } from "./urls";
import { simpleUser } from "./user";

/** GitHub links a commit to the account with that e-mail, or to the login of an ID+login@users.noreply address. */
export function accountFor(users: readonly UserRecord[], email: string): Account | undefined {
  const address = email.toLowerCase();
  const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/.exec(address)?.[1];
  for (const user of users) {
    if (user.email.toLowerCase() === address || user.login.toLowerCase() === noreply) return user;
  }
  return undefined;
}

function derivedSha(sha: string, salt: string): string {
  return createHash("sha1").update(`${salt}|${sha}`).digest("hex");
}

export interface CommitShapeInput {
  repository: string;
  commit: GitCommit;
  users: readonly UserRecord[];
  base: string;
}

export function commitShape({ repository, commit, users, base }: CommitShapeInput): Record<string, unknown> {
  const url = (sha: string) => apiUrl(base, `/repos/${repository}/commits/${sha}`);
  const author = accountFor(users, commit.author.email);
  const committer = accountFor(users, commit.committer.email);
  return {
    url: url(commit.sha),
    sha: commit.sha,
    node_id: Buffer.from(`C_${commit.sha}`).toString("base64").slice(0, 32),
    html_url: `${base}/${repository}/commit/${commit.sha}`,
    comments_url: `${url(commit.sha)}/comments`,
    commit: {
      url: apiUrl(base, `/repos/${repository}/git/commits/${commit.sha}`),
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: {
        sha: derivedSha(commit.sha, "tree"),
        url: apiUrl(base, `/repos/${repository}/git/trees/${derivedSha(commit.sha, "tree")}`),
      },
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: author ? simpleUser(author, base) : null,
    committer: committer ? simpleUser(committer, base) : null,
    parents: commit.parents.map((sha) => ({ sha, url: url(sha), html_url: `${base}/${repository}/commit/${sha}` })),
  };
}

export interface ComparisonShapeInput {
  repository: string;
  basehead: string;
  base: GitCommit;
  comparison: Comparison;
  /** The commits shown: one page of `comparison.commits` (oldest first), or unpaged its newest 250. */
  page: GitCommit[];
  users: readonly UserRecord[];
  origin: string;
}

export function comparisonShape(input: ComparisonShapeInput): Record<string, unknown> {
  const { repository, basehead, comparison, origin } = input;
  const shape = (commit: GitCommit) => commitShape({ repository, commit, users: input.users, base: origin });
  const html = `${origin}/${repository}/compare/${basehead}`;
  const owner = repository.split("/")[0] ?? "";
  const head = comparison.commits[comparison.commits.length - 1]?.sha ?? comparison.mergeBase.sha;
  return {
    url: apiUrl(origin, `/repos/${repository}/compare/${basehead}`),
    html_url: html,
    permalink_url: `${origin}/${repository}/compare/${owner}:${input.base.sha.slice(0, 7)}...${owner}:${head.slice(0, 7)}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: shape(input.base),
    merge_base_commit: shape(comparison.mergeBase),
    status: comparison.status,
    ahead_by: comparison.aheadBy,
    behind_by: comparison.behindBy,
    total_commits: comparison.aheadBy,
    commits: input.page.map(shape),
    files: [],
  };
}
