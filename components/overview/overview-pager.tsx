import Link from "next/link";
import { overviewPageHref, pagerItems } from "@/lib/pipelines/overview-pages";
import type { OverviewFilters } from "@/lib/pipelines/schemas";
import { FOCUS, LINK, MUTED } from "@/components/ui/styles";

const ITEM = `rounded px-2 py-1 text-sm ${FOCUS}`;

/** Pages of the overview: every pipeline stays one link away, and each page is a plain address. */
export function OverviewPager({
  filters,
  page,
  pageCount,
  firstRow,
  rendered,
  shown,
}: Readonly<{
  filters: OverviewFilters;
  page: number;
  pageCount: number;
  firstRow: number;
  rendered: number;
  shown: number;
}>) {
  if (pageCount <= 1) return null;
  const href = (p: number) => overviewPageHref(filters, p);
  return (
    <nav aria-label="Overview pages" className="flex flex-wrap items-center gap-1">
      <span className={`mr-2 text-sm ${MUTED}`}>{`Pipelines ${firstRow}–${firstRow + rendered - 1} of ${shown}`}</span>
      {page > 1 && (
        <Link href={href(page - 1)} rel="prev" className={`${ITEM} ${LINK}`}>
          Previous
        </Link>
      )}
      {pagerItems(page, pageCount).map((item) =>
        item.kind === "gap" ? (
          <span key={`gap-${item.after}`} className={`px-1 text-sm ${MUTED}`} aria-hidden="true">
            …
          </span>
        ) : item.current ? (
          <span key={item.page} aria-current="page" className={`${ITEM} font-semibold`}>
            {item.page}
          </span>
        ) : (
          <Link key={item.page} href={href(item.page)} aria-label={`Page ${item.page}`} className={`${ITEM} ${LINK}`}>
            {item.page}
          </Link>
        ),
      )}
      {page < pageCount && (
        <Link href={href(page + 1)} rel="next" className={`${ITEM} ${LINK}`}>
          Next
        </Link>
      )}
    </nav>
  );
}
