// Where a commit's SHA, pull request and compare view link to. Links are built only from the
// configured GitHub host (trusted) and escaped, validated parts; the repository comes from the
// pipeline or from a stored commit URL on that same host, never from a URL AWS reported.
import { safeHttpUrl } from "@/lib/safe-url";

export interface CommitLinks {
  commit: string | null;
  pullRequest: { number: number; url: string } | null;
  compare: string | null;
}

const SHA = /^[0-9a-f]{7,64}$/i;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The pull request a commit message names the way GitHub writes them: "Merge pull request #12 …" or "… (#12)". */
export function pullRequestNumber(message: string | null | undefined): number | null {
  const line = message?.split(/\r?\n/, 1)[0]?.trim() ?? "";
  const match = /^Merge pull request #(\d{1,9})\b/.exec(line) ?? /\(#(\d{1,9})\)$/.exec(line);
  const n = match?.[1] ? Number(match[1]) : 0;
  return n > 0 ? n : null;
}

function hostBase(host: string | null | undefined): string | null {
  const url = safeHttpUrl(host);
  if (!url) return null;
  const parsed = new URL(url);
  if (parsed.search || parsed.hash) return null;
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, "");
}

function splitRepository(repository: string | null | undefined): [string, string] | null {
  const parts = repository?.split("/") ?? [];
  return parts.length === 2 && NAME.test(parts[0] ?? "") && NAME.test(parts[1] ?? "") && !/^\.+$/.test(parts[1] ?? "")
    ? [parts[0] as string, parts[1] as string]
    : null;
}

/** owner/repo of a stored `<base>/<owner>/<repo>/commit/<sha>` URL, only when it is on `base`. */
function repositoryOfStoredUrl(base: string, storedUrl: string | null | undefined): [string, string] | null {
  const url = safeHttpUrl(storedUrl);
  if (!url || !url.startsWith(`${base}/`)) return null;
  const match = /^\/([^/]+)\/([^/]+)\/commit\/[0-9a-f]{7,64}$/i.exec(url.slice(base.length));
  if (!match) return null;
  try {
    return splitRepository(`${decodeURIComponent(match[1] ?? "")}/${decodeURIComponent(match[2] ?? "")}`);
  } catch {
    return null;
  }
}

export function commitLinks(input: {
  /** The configured GitHub URL (GITHUB_URL). */
  host: string | null | undefined;
  sha: string | null | undefined;
  repository?: string | null;
  storedUrl?: string | null;
  previousSha?: string | null;
  message?: string | null;
}): CommitLinks {
  const none: CommitLinks = { commit: null, pullRequest: null, compare: null };
  const base = hostBase(input.host);
  const sha = input.sha && SHA.test(input.sha) ? input.sha.toLowerCase() : null;
  const repo = base ? (splitRepository(input.repository) ?? repositoryOfStoredUrl(base, input.storedUrl)) : null;
  if (!base || !repo || !sha) return none;
  const root = `${base}/${encodeURIComponent(repo[0])}/${encodeURIComponent(repo[1])}`;
  const pr = pullRequestNumber(input.message);
  const previous = input.previousSha && SHA.test(input.previousSha) ? input.previousSha.toLowerCase() : null;
  return {
    commit: `${root}/commit/${sha}`,
    pullRequest: pr ? { number: pr, url: `${root}/pull/${pr}` } : null,
    compare: previous && previous !== sha ? `${root}/compare/${previous}...${sha}` : null,
  };
}
