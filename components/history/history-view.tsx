import Link from "next/link";
import type { HistoryFilters as Filters } from "@/lib/pipelines/schemas";
import type { ExecutionPage } from "@/lib/server/pipelines/list-executions";
import { LiveUpdates } from "@/components/live/live-updates";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { LINK } from "@/components/ui/styles";
import { ExecutionsTable } from "./executions-table";
import { HistoryFilters } from "./history-filters";

function pageHref(pipelineId: string, filters: Filters, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const key of ["status", "branch", "trigger", "commit"] as const) if (filters[key]) params.set(key, filters[key]);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return `/pipelines/${pipelineId}/executions${query ? `?${query}` : ""}`;
}

export function HistoryView({
  page,
  filters,
  options,
  now,
  eventId = null,
}: Readonly<{
  page: ExecutionPage;
  filters: Filters;
  options: { statuses: string[]; branches: string[]; triggers: string[] };
  now: Date;
  eventId?: string | null;
}>) {
  const { pipeline } = page;
  const crumbs = [
    { label: "Repositories", href: "/" },
    ...(pipeline.repository ? [{ label: pipeline.repository, href: `/repositories/${pipeline.repository}` }] : []),
    { label: pipeline.name, href: `/pipelines/${pipeline.id}` },
  ];
  return (
    <div>
      <PageHeader crumbs={crumbs} title={`${pipeline.name}: history`}>
        {!filters.cursor && <LiveUpdates pipeline={pipeline.id} eventId={eventId} />}
      </PageHeader>
      <HistoryFilters pipelineId={pipeline.id} filters={filters} options={options} />
      {page.items.length === 0 ? (
        <EmptyState title={filters.cursor ? "No more executions" : "No executions match"}>
          {filters.cursor ? "You reached the oldest execution." : "Try other filters, or wait for the first run."}
        </EmptyState>
      ) : (
        <ExecutionsTable items={page.items} now={now} caption={`Executions of ${pipeline.name}, newest first`} />
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {filters.cursor ? (
          <Link href={pageHref(pipeline.id, filters, null)} className={LINK}>
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor && (
          <Link href={pageHref(pipeline.id, filters, page.nextCursor)} className={LINK} rel="next">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
