import "server-only";

// GitHub's lists page through `Link: <…>; rel="next"`, and come in two shapes: the bare array (/user/repos) and the
// object-wrapped page (`{ total_count, <key>: [...] }`: installations, check runs, check suites, a combined status).
// One walk serves both, whatever does the fetching (a token's fetch, an App's Octokit). A page of the wrong shape
// fails the whole list rather than reading as a shorter one.

export type ListPage = { body: unknown; link: string | null | undefined };

export type PagesOptions = {
  /** The list's key in an object-wrapped page; null when the page is the list itself. */
  key: string | null;
  maxPages: number;
  /**
   * Page `page` (from 1); `next` is the URL GitHub linked to from the page before (absent for the first), for
   * fetchers that follow links rather than count pages.
   */
  fetchPage: (page: number, next: string | undefined) => Promise<ListPage>;
  /** When set, a next link elsewhere ends the walk: a page link on another host would carry the token away. */
  origin?: string;
  /** The error for a page that is not the list GitHub documents. */
  invalid: (message: string) => Error;
};

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(header: string | null | undefined): string | undefined {
  return header
    ?.split(",")
    .map((part) => /<([^>]+)>;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
}

function itemsOf(body: unknown, key: string | null, invalid: PagesOptions["invalid"]): unknown[] {
  if (key === null) {
    if (!Array.isArray(body)) throw invalid("GitHub sent a page that is not a list");
    return body as unknown[];
  }
  const list = body && typeof body === "object" ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) throw invalid(`GitHub sent a page without ${key}`);
  return list as unknown[];
}

/** Every item of every page, following GitHub's next links, at most `maxPages` pages. */
export async function everyPage<T>(options: PagesOptions): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  for (let page = 1; page <= options.maxPages; page++) {
    const answer = await options.fetchPage(page, next);
    items.push(...(itemsOf(answer.body, options.key, options.invalid) as T[]));
    next = nextLink(answer.link);
    if (!next) break;
    if (options.origin !== undefined && !(URL.canParse(next) && new URL(next).origin === options.origin)) break;
  }
  return items;
}
