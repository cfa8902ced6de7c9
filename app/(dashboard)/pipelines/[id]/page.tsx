import { notFound } from "next/navigation";
import { PipelineView } from "@/components/pipeline/pipeline-view";
import { firstValues, parsePageInput, pipelineParamsSchema, pipelineViewSchema } from "@/lib/pipelines/schemas";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PipelinePage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  const view = parsePageInput(pipelineViewSchema, firstValues(await searchParams));
  if (!path || !view) notFound();
  const viewer = await requireViewer(`/pipelines/${encodeURIComponent(path.id)}`);
  const pipeline = await getPipelineDetail(viewer, path.id, view.execution || null);
  if (!pipeline) notFound();
  return <PipelineView pipeline={pipeline} now={new Date()} />;
}
