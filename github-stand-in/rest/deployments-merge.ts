// A deployment's ref, as GitHub reads it: a SHA stands for itself, a branch for its tip, and with auto_merge (the
// default) a branch behind the default branch is first brought up to date by a merge commit, answered with 202.
import type { StandInState } from "../state";
import { isoTime } from "../shapes/urls";
import { FULL_SHA } from "../world/commits";
import { resolveSha } from "../world/records";
import type { Account } from "../world/world";

/** Every stand-in repository's default branch, as its repository object says. */
const DEFAULT_BRANCH = "main";
/** How far back a branch's history is read to find the default branch's tip in it. */
const MERGE_DEPTH = 300;

function branchName(ref: string): string {
  return ref.replace(/^(?:refs\/)?heads\//, "");
}

/** The SHA a deployment records: the commit the ref names when the stand-in knows it, else a stable made-up one. */
export async function resolveDeploymentRef(
  state: StandInState,
  repository: string,
  ref: string,
): Promise<{ sha: string } | "unreachable"> {
  if (FULL_SHA.test(ref.toLowerCase())) return { sha: ref.toLowerCase() };
  const log = await state.commits.log(repository, branchName(ref), 1);
  if (log === "unreachable") return "unreachable";
  return { sha: log[0]?.sha ?? resolveSha(repository, ref) };
}

/**
 * Merges the default branch into `ref` when `ref` is a known branch that lacks the default branch's tip. The stand-in
 * has no file contents, so every merge is clean (GitHub's 409 "Conflict merging …" never arises here).
 */
export async function autoMerge(
  state: StandInState,
  input: { repository: string; ref: string; author: Account; nowMs: number },
): Promise<{ message: string } | null | "unreachable"> {
  const branch = branchName(input.ref);
  if (FULL_SHA.test(input.ref.toLowerCase()) || branch === DEFAULT_BRANCH) return null;
  const [main, head] = await Promise.all([
    state.commits.log(input.repository, DEFAULT_BRANCH, 1),
    state.commits.log(input.repository, branch, MERGE_DEPTH),
  ]);
  if (main === "unreachable" || head === "unreachable") return "unreachable";
  const mainTip = main[0];
  const headTip = head[0];
  // The log follows first parents; a merge of the default branch brings its tip in as a second parent.
  if (!mainTip || !headTip || head.some((c) => c.sha === mainTip.sha || c.parents.includes(mainTip.sha))) return null;
  const message = `Auto-merged ${DEFAULT_BRANCH} into ${branch} on deployment.`;
  state.commits.register(input.repository, branch, [
    {
      message,
      parents: [headTip.sha, mainTip.sha],
      author: {
        name: input.author.name ?? input.author.login,
        email: input.author.email ?? `${input.author.id}+${input.author.login}@users.noreply.github.com`,
        date: isoTime(input.nowMs),
      },
    },
  ]);
  return { message };
}
