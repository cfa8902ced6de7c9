const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d{1,9}$/.test(raw)) return fallback;
  const value = Number(raw);
  return value >= 1 ? value : fallback;
}

export interface Page<T> {
  items: T[];
  /** The `link` header value, or null when everything fits on one page (GitHub then omits it). */
  link: string | null;
}

/** Slices a list like GitHub: per_page ≤ 100, pages from 1, every other query parameter kept in the links. */
export function paginate<T>(all: readonly T[], url: URL, base: string): Page<T> {
  const perPage = Math.min(positiveInt(url.searchParams.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positiveInt(url.searchParams.get("page"), 1);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  if (lastPage === 1 && page === 1) return { items, link: null };

  const linkTo = (target: number): string => {
    const params = new URLSearchParams(url.searchParams);
    params.set("per_page", String(perPage));
    params.set("page", String(target));
    return `<${base}${url.pathname}?${params.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${linkTo(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) parts.push(`${linkTo(page + 1)}; rel="next"`, `${linkTo(lastPage)}; rel="last"`);
  if (page > 1) parts.push(`${linkTo(1)}; rel="first"`);
  return { items, link: parts.length > 0 ? parts.join(", ") : null };
}
