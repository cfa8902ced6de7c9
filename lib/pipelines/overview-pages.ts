// Which page links the overview's pager offers (pure): the first and last, and two either side of the current
// one, with a gap marker where pages are left out, so 20 pages or 2,000 need the same dozen links.

export type PagerItem = { kind: "page"; page: number; current: boolean } | { kind: "gap"; after: number };

export function pagerItems(page: number, pageCount: number, around = 2): PagerItem[] {
  const wanted = new Set<number>([1, pageCount]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pageCount) wanted.add(p);
  const pages = [...wanted].sort((a, b) => a - b);
  const items: PagerItem[] = [];
  for (const [i, p] of pages.entries()) {
    const previous = pages[i - 1];
    if (previous !== undefined && p - previous > 1) items.push({ kind: "gap", after: previous });
    items.push({ kind: "page", page: p, current: p === page });
  }
  return items;
}

/** The overview's address for a page, keeping its filters. */
export function overviewPageHref(filters: { q?: string; status?: string }, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.status) params.set("status", filters.status);
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `/?${text}` : "/";
}
