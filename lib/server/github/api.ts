import "server-only";
import { GITHUB_API_URL } from "@/lib/server/github/config";

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

const TIMEOUT_MS = 10_000;

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
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (error) {
    throw new GitHubError(0, `GitHub is unreachable (${error instanceof Error ? error.name : "network error"})`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: unknown };
    throw new GitHubError(
      response.status,
      `GitHub answered ${response.status}: ${typeof body.message === "string" ? body.message.slice(0, 200) : response.statusText}`,
    );
  }
  return response;
}

function nextLink(header: string | null): string | undefined {
  return header
    ?.split(",")
    .map((part) => /<([^>]+)>;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
}

/** Follows `Link: rel="next"` pages (GitHub's own pagination), up to `maxPages`. */
export async function githubPaginate<T>(path: string, token: string, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let url: string | undefined = path;
  for (let page = 0; url && page < maxPages; page++) {
    const response = await githubFetch(url, token);
    items.push(...((await response.json()) as T[]));
    const next = nextLink(response.headers.get("link"));
    // Only follow links on the configured API host: a page link elsewhere would leak the token.
    url = next && new URL(next).origin === new URL(GITHUB_API_URL).origin ? next : undefined;
  }
  return items;
}
