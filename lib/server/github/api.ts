import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { GITHUB_API_URL } from "@/lib/server/github/config";
import { everyPage, type ListPage } from "@/lib/server/github/list-pages";

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

/** Longest wait for one GitHub response (headers and body). */
export const GITHUB_REQUEST_TIMEOUT_MS = 10_000;

// A unit of work (one repository-access refresh: up to 100 pages plus membership checks) gets one
// deadline for all of its calls. It is carried in async context rather than passed down, so the callers
// in between (github-access.ts) need no signal parameter of their own.
const deadlines = new AsyncLocalStorage<AbortSignal>();

/** Runs `work`, ending every GitHub call made inside it (however deep) `ms` from now at the latest. */
export function withGitHubDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(AbortSignal.timeout(ms), work);
}

function requestSignal(extra: AbortSignal | null | undefined): AbortSignal {
  const signals = [AbortSignal.timeout(GITHUB_REQUEST_TIMEOUT_MS), deadlines.getStore(), extra];
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s instanceof AbortSignal));
}

/** One GitHub REST call with the user's token; non-2xx becomes a GitHubError (the body's message only). */
export async function githubFetch(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  const url = path.startsWith("http") ? path : `${GITHUB_API_URL}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        Authorization: `Bearer ${token}`,
        ...init.headers,
      },
      signal: requestSignal(init.signal),
      cache: "no-store",
    });
  } catch (error) {
    throw new GitHubError(0, `GitHub is unreachable (${error instanceof Error ? error.name : "network error"})`);
  }
  // A caller that reads redirects itself (the 301 of a renamed repository) gets them as answers.
  const redirect = init.redirect === "manual" && response.status >= 300 && response.status < 400;
  if (!response.ok && !redirect) {
    const body = (await response.json().catch(() => ({}))) as { message?: unknown };
    throw new GitHubError(
      response.status,
      `GitHub answered ${response.status}: ${typeof body.message === "string" ? body.message.slice(0, 200) : response.statusText}`,
    );
  }
  return response;
}

/** The page's JSON; a body that times out or is not JSON fails the list. */
async function pageOf(url: string, token: string): Promise<ListPage> {
  const response = await githubFetch(url, token);
  const body: unknown = await response.json().catch((error: unknown) => {
    throw new GitHubError(0, `GitHub sent an unreadable page (${error instanceof Error ? error.name : "error"})`);
  });
  return { body, link: response.headers.get("link") };
}

/**
 * Follows `Link: rel="next"` pages (GitHub's own pagination), up to `maxPages`, of a bare list or, given `key`, of
 * an object-wrapped one (`{ total_count, <key>: [...] }`). Only links on the configured API host are followed.
 */
export async function githubPaginate<T>(
  path: string,
  token: string,
  list: { key?: string; maxPages?: number } = {},
): Promise<T[]> {
  return everyPage<T>({
    key: list.key ?? null,
    maxPages: list.maxPages ?? 100,
    fetchPage: (_page, next) => pageOf(next ?? path, token),
    origin: new URL(GITHUB_API_URL).origin,
    invalid: (message) => new GitHubError(0, message),
  });
}
