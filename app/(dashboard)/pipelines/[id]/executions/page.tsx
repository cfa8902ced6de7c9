import { notFound } from "next/navigation";
import { HistoryView } from "@/components/history/history-view";
import { firstValues, historyFiltersSchema } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
import { historyFilterOptions, listExecutions } from "@/lib/server/pipelines/list-executions";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function HistoryPage({ params, searchParams }: Readonly<Props>) {
  const { id } = await params;
  const viewer = await requireViewer(`/pipelines/${id}/executions`);
  const filters = historyFiltersSchema.parse(firstValues(await searchParams));
  const page = await listExecutions(viewer, id, filters);
  if (!page) notFound();
  const options = await historyFilterOptions(db, page.pipeline.id);
  return <HistoryView page={page} filters={filters} options={options} now={new Date()} />;
}
