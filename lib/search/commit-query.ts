// What a person types into "Where is my commit?", read once (pure): a commit SHA or a prefix of one, a
// commit's GitHub address, or a pull request number. Git abbreviates SHAs to 7 characters; fewer than 4
// would match a large share of any history, so they are refused rather than answered with noise.

export const MIN_PREFIX = 4;
/** SHA-1 commits are 40 hex digits; repositories in SHA-256 mode use 64. */
export const MAX_SHA = 64;
/** GitHub numbers pull requests from 1; nine digits is more than any repository has reached. */
const MAX_PULL_DIGITS = 9;

export type CommitQuery =
  | { kind: "sha"; /** Lower-case hex, MIN_PREFIX to MAX_SHA digits. */ prefix: string }
  | { kind: "pull-request"; number: number };

export type ParsedCommitQuery = { ok: true; query: CommitQuery } | { ok: false; message: string };

const COMMIT_URL = /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/commit\/([0-9a-f]+)\/?$/i;
const PULL_URL = /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/pull\/(\d+)\/?$/i;
const PULL = /^(?:#|pr\s*#?|pull\s*#?|pull request\s*#?)(\d+)$/i;

export function parseCommitQuery(raw: string | null | undefined): ParsedCommitQuery {
  const text = (raw ?? "").trim();
  if (!text) return { ok: false, message: "Type a commit SHA (at least 4 characters) or a pull request like #42." };
  if (text.length > 200) return { ok: false, message: "That is longer than any commit SHA or address." };
  const pull = PULL.exec(text) ?? PULL_URL.exec(text);
  if (pull?.[1] !== undefined) {
    const digits = pull[1].replace(/^0+/, "");
    if (!digits || digits.length > MAX_PULL_DIGITS)
      return { ok: false, message: "A pull request number is a whole number from 1." };
    return { ok: true, query: { kind: "pull-request", number: Number(digits) } };
  }
  const sha = COMMIT_URL.exec(text)?.[1] ?? text;
  if (!/^[0-9a-f]+$/i.test(sha))
    return {
      ok: false,
      message: "A commit SHA has only the digits 0-9 and letters a-f; a pull request is written #42.",
    };
  if (sha.length < MIN_PREFIX)
    return { ok: false, message: `Type at least ${MIN_PREFIX} characters of the SHA; "${sha}" matches too much.` };
  if (sha.length > MAX_SHA) return { ok: false, message: `A commit SHA has at most ${MAX_SHA} characters.` };
  return { ok: true, query: { kind: "sha", prefix: sha.toLowerCase() } };
}
