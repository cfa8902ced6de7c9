import type { ReactNode } from "react";
import type { OverviewFilters as Filters } from "@/lib/pipelines/schemas";
import type { Overview as Data } from "@/lib/server/pipelines/get-overview";
import { EmptyState } from "@/components/ui/empty-state";
import { MUTED } from "@/components/ui/styles";
import { OverviewPager } from "./overview-pager";
import { RepositorySection } from "./repository-section";

/** `header` is the page's title and filter form: rendered by the server, it never changes with the data. */
export function Overview({
  data,
  filters,
  now,
  header,
}: Readonly<{ data: Data; filters: Filters; now: Date; header: ReactNode }>) {
  const attentionCount = data.attention.reduce(
    (n, g) => n + g.pipelines.filter((p) => p.attention.length > 0).length,
    0,
  );
  const attention = { groups: data.attention };
  const rest = { groups: data.rest };
  const pager = (
    <OverviewPager
      filters={filters}
      page={data.page}
      pageCount={data.pageCount}
      firstRow={data.firstRow}
      rendered={data.rendered}
      shown={data.shown}
    />
  );
  return (
    <div>
      {header}
      {data.total === 0 ? (
        <EmptyState title="No pipelines yet">
          No pipelines deliver the repositories you can see on GitHub, or the first sync has not finished.
        </EmptyState>
      ) : data.shown === 0 ? (
        <EmptyState title="Nothing matches these filters">Try another search or status.</EmptyState>
      ) : (
        <div className="space-y-8">
          <p className={`text-sm ${MUTED}`} aria-live="polite">
            {data.shown} of {data.total} pipelines · {attentionCount} need attention
            {data.pageCount > 1 ? ` on this page` : ""}
          </p>
          {attention.groups.length > 0 && (
            <section aria-labelledby="attention-heading" className="space-y-4">
              <h2
                id="attention-heading"
                className="text-sm font-semibold uppercase tracking-wide text-amber-800 dark:text-amber-300"
              >
                Needs attention
              </h2>
              {attention.groups.map((group) => (
                <RepositorySection key={group.fullName ?? "unmapped"} group={group} now={now} />
              ))}
            </section>
          )}
          {rest.groups.length > 0 && (
            <section aria-labelledby="rest-heading" className="space-y-4">
              <h2 id="rest-heading" className={`text-sm font-semibold uppercase tracking-wide ${MUTED}`}>
                {data.attention.length > 0 ? "Everything else" : "All repositories"}
              </h2>
              {rest.groups.map((group) => (
                <RepositorySection key={group.fullName ?? "unmapped"} group={group} now={now} />
              ))}
            </section>
          )}
          {pager}
        </div>
      )}
    </div>
  );
}
