import { notFound } from "next/navigation";
import { HistoryView } from "@/components/history/history-view";
import { firstValues, historyFiltersSchema, parsePageInput, pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
import { historyFilterOptions, listExecutions } from "@/lib/server/pipelines/list-executions";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function HistoryPage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  const filters = parsePageInput(historyFiltersSchema, firstValues(await searchParams));
  if (!path || !filters) notFound();
  const { id } = path;
  const viewer = await requireViewer(`/pipelines/${encodeURIComponent(id)}/executions`);
  // The filter options depend only on the pipeline id; they are read alongside the page, and only
  // shown once listExecutions has confirmed the viewer may see this pipeline.
  const [page, options] = await Promise.all([listExecutions(viewer, id, filters), historyFilterOptions(db, id)]);
  if (!page) notFound();
  return <HistoryView page={page} filters={filters} options={options} now={new Date()} />;
}
