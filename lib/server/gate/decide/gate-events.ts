import { branchMatches } from "@/lib/server/github/webhooks/branch-glob";
import { field } from "@/lib/server/github/webhooks/payload-field";

// What the release gate reads from a webhook delivery (pure). Payloads are untrusted: each field is taken only with
// GitHub's shape.
// - A push or a check suite GitHub requested for a push names a commit that arrived on a branch: the gated pipelines
//   of that branch start waiting for it. The suite is the second witness: Stageboard's App has checks permission, so
//   GitHub sends it `check_suite.requested` for every push, and a lost push delivery loses no commit.
// - Check runs, check suites and statuses of a commit make its waiting pipelines look at its checks again.
// A status or a check run never starts a wait: both can name any old commit of a branch.

const SHA = /^[0-9a-f]{40}$/;
const FULL_NAME = /^[a-z0-9-]{1,39}\/[a-z0-9._-]{1,100}$/;
const ZERO = /^0{40}$/;

export type ArrivedCommit = { repository: string; sha: string; branch: string; committedAt: Date | null };
export type TouchedCommit = { repository: string; sha: string; appId: number | null };

const lower = (value: unknown): string | null => (typeof value === "string" ? value.toLowerCase() : null);
const repositoryOf = (payload: unknown) => {
  const name = lower(field(field(payload, "repository"), "full_name"));
  return name && FULL_NAME.test(name) ? name : null;
};
const shaOf = (value: unknown) => {
  const sha = lower(value);
  return sha && SHA.test(sha) && !ZERO.test(sha) ? sha : null;
};
function dateOf(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
const appIdOf = (value: unknown) => {
  const id = field(field(value, "app"), "id");
  return typeof id === "number" && Number.isSafeInteger(id) ? id : null;
};

/** The commit a push (to a branch, moving forward) or a requested check suite brought, else null. */
export function arrivedCommit(event: string, payload: unknown): ArrivedCommit | null {
  const repository = repositoryOf(payload);
  if (!repository) return null;
  if (event === "push") {
    const ref = field(payload, "ref");
    const sha = shaOf(field(payload, "after"));
    if (typeof ref !== "string" || !ref.startsWith("refs/heads/") || !sha || field(payload, "deleted") === true)
      return null;
    const committedAt = dateOf(field(field(payload, "head_commit"), "timestamp"));
    return { repository, sha, branch: ref.slice("refs/heads/".length), committedAt };
  }
  if (event === "check_suite" && field(payload, "action") === "requested") {
    const suite = field(payload, "check_suite");
    const sha = shaOf(field(suite, "head_sha"));
    const branch = field(suite, "head_branch");
    if (!sha || typeof branch !== "string" || branch.length === 0) return null;
    return { repository, sha, branch, committedAt: dateOf(field(field(suite, "head_commit"), "timestamp")) };
  }
  return null;
}

/** The commit whose checks a check run, check suite or status delivery changed, and whose App changed them. */
export function touchedCommit(event: string, payload: unknown): TouchedCommit | null {
  const repository = repositoryOf(payload);
  if (!repository) return null;
  let sha: string | null = null;
  let appId: number | null = null;
  if (event === "check_run") {
    const run = field(payload, "check_run");
    sha = shaOf(field(run, "head_sha"));
    appId = appIdOf(run);
  } else if (event === "check_suite") {
    const suite = field(payload, "check_suite");
    sha = shaOf(field(suite, "head_sha"));
    appId = appIdOf(suite);
  } else if (event === "status") sha = shaOf(field(payload, "sha"));
  return sha ? { repository, sha, appId } : null;
}

/** Whether a gate takes pushes to `branch`: its own patterns, or without any the pipeline's source branch. */
export function gateWatches(gate: { branches: string[]; sourceBranch: string | null }, branch: string): boolean {
  if (gate.branches.length === 0) return gate.sourceBranch !== null && gate.sourceBranch === branch;
  return gate.branches.some((pattern) => branchMatches(pattern, branch));
}
