"use client";

import { useLiveData } from "@/components/live/hooks/use-live-data";
import { fetchHistory } from "@/lib/pipelines/api-client";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { HistoryFilters } from "@/lib/pipelines/schemas";
import type { ExecutionListItem, ExecutionPage } from "@/lib/server/pipelines/list-executions";
import { HistoryView } from "./history-view";

/** A page of a pipeline's history, refetched (GET /api/pipelines/:id/executions) when the pipeline changes. */
export function LiveHistoryView({
  initialData,
  filters,
  options,
  serverNow,
  eventId,
}: Readonly<{
  initialData: ExecutionPage;
  filters: HistoryFilters;
  options: { statuses: string[]; branches: string[]; triggers: string[] };
  serverNow: Date;
  eventId: string | null;
}>) {
  const id = initialData.pipeline.id;
  const { data, now } = useLiveData({
    queryKey: pipelineKeys.history(id, filters),
    queryFn: (signal) => fetchHistory<ExecutionListItem, ExecutionPage["pipeline"]>(id, filters, signal),
    initialData,
    serverNow,
  });
  return <HistoryView page={data} filters={filters} options={options} now={now} eventId={eventId} />;
}
