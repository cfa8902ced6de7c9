// GET /_sandbox/commits: the commits of a repository's pipelines, for the GitHub stand-in (and tests) to serve as
// GitHub's commits and compare endpoints. `ref` is a full SHA or a branch; the answer is that commit and its
// ancestors, newest first (`limit`, default 1, at most 300).
import type { CommitRecord, PipelineRecord } from "../core/types";
import type { World } from "../core/world";
import { commitLog, findCommit, tipOf } from "../sim/commits";
import { currentDeclaration } from "../sim/lookup";
import { githubRepoOf, sourceActions } from "../sim/revisions";

const MAX_LIMIT = 300;

export interface CommitJson {
  sha: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  pipeline: string;
  branch: string;
}

function sourceOf(p: PipelineRecord): { repository: string; branch: string } | undefined {
  for (const s of sourceActions(currentDeclaration(p))) {
    const repository = githubRepoOf(s);
    const branch = s.configuration?.Branch ?? s.configuration?.BranchName;
    if (repository && branch) return { repository, branch };
  }
  return undefined;
}

function toJson(c: CommitRecord, p: PipelineRecord, branch: string): CommitJson {
  return {
    sha: c.sha,
    parents: c.parents,
    message: c.message,
    author: { ...c.author, date: new Date(c.createdMs).toISOString().replace(/\.\d{3}Z$/, "Z") },
    pipeline: p.name,
    branch,
  };
}

export type CommitsAnswer =
  { status: 200; body: { commits: CommitJson[] } } | { status: 400 | 404; body: { error: string } };

export function commitsOf(world: World, params: URLSearchParams): CommitsAnswer {
  const repository = params.get("repository")?.toLowerCase();
  const ref = params.get("ref");
  const limit = Number(params.get("limit") ?? "1");
  if (!repository || !ref)
    return { status: 400, body: { error: "give repository (owner/name) and ref (sha or branch)" } };
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return { status: 400, body: { error: `limit must be an integer from 1 to ${MAX_LIMIT}` } };
  const pipelines = [...world.pipelines.values()]
    .map((p) => ({ p, source: sourceOf(p) }))
    .filter((x) => x.source?.repository.toLowerCase() === repository);
  for (const { p, source } of pipelines) {
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? findCommit(p, ref)
        ? ref
        : undefined
      : source?.branch === ref
        ? tipOf(p)
        : undefined;
    if (sha === undefined) continue;
    const commits = commitLog(p, sha, limit).map((c) => toJson(c, p, source?.branch ?? ""));
    if (commits.length > 0) return { status: 200, body: { commits } };
  }
  return { status: 404, body: { error: `no commit ${ref} in ${repository}` } };
}
