"use client";

import type { ReactNode } from "react";
import { LiveUpdates } from "@/components/live/live-updates";
import { useLiveData } from "@/components/live/hooks/use-live-data";
import { fetchOverview } from "@/lib/pipelines/api-client";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { OverviewFilters } from "@/lib/pipelines/schemas";
import type { Overview as Data } from "@/lib/server/pipelines/get-overview";
import { Overview } from "./overview";

/** The overview, refetched (GET /api/pipelines) when a change in it arrives on the live stream. */
export function LiveOverview({
  initialData,
  filters,
  serverNow,
  eventId,
  header,
}: Readonly<{
  initialData: Data;
  filters: OverviewFilters;
  serverNow: Date;
  eventId: string | null;
  header: ReactNode;
}>) {
  const { data, now } = useLiveData({
    queryKey: pipelineKeys.overview(filters),
    queryFn: (signal) => fetchOverview<Data>(filters, signal),
    initialData,
    serverNow,
  });
  return (
    <>
      <div className="mb-2 flex justify-end">
        <LiveUpdates eventId={eventId} />
      </div>
      <Overview data={data} filters={filters} now={now} header={header} />
    </>
  );
}
