import { notFound } from "next/navigation";
import { LiveHistoryView } from "@/components/history/live-history-view";
import { firstValues, historyFiltersSchema, parsePageInput, pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
import { pageEventId } from "@/lib/server/live/page-event-id";
import { historyFilterOptions, listExecutions } from "@/lib/server/pipelines/list-executions";
import { requireViewer } from "@/lib/server/session";
import type { Metadata } from "next";
import { pipelineMetadata } from "@/lib/server/pipelines/page-title";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Readonly<Pick<Props, "params">>): Promise<Metadata> {
  return pipelineMetadata((await params).id, "History");
}

export default async function HistoryPage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  const filters = parsePageInput(historyFiltersSchema, firstValues(await searchParams));
  if (!path || !filters) notFound();
  const { id } = path;
  const viewer = await requireViewer(`/pipelines/${encodeURIComponent(id)}/executions`);
  // The filter options depend only on the pipeline id; they are read alongside the page, and only
  // shown once listExecutions has confirmed the viewer may see this pipeline.
  const serverNow = new Date();
  const eventId = await pageEventId();
  const [page, options] = await Promise.all([listExecutions(viewer, id, filters), historyFilterOptions(db, id)]);
  if (!page) notFound();
  return (
    <LiveHistoryView initialData={page} filters={filters} options={options} serverNow={serverNow} eventId={eventId} />
  );
}
