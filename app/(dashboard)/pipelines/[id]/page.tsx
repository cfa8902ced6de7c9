import { notFound } from "next/navigation";
import { PipelineSparkline } from "@/components/insight/pipeline-sparkline";
import { LivePipelineView } from "@/components/pipeline/live-pipeline-view";
import { firstValues, parsePageInput, pipelineParamsSchema, pipelineViewSchema } from "@/lib/pipelines/schemas";
import { pageEventId } from "@/lib/server/live/page-event-id";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { requireViewer } from "@/lib/server/session";
import type { Metadata } from "next";
import { pipelineMetadata } from "@/lib/server/pipelines/page-title";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Readonly<Pick<Props, "params">>): Promise<Metadata> {
  return pipelineMetadata((await params).id);
}

export default async function PipelinePage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  const view = parsePageInput(pipelineViewSchema, firstValues(await searchParams));
  if (!path || !view) notFound();
  const viewer = await requireViewer(`/pipelines/${encodeURIComponent(path.id)}`);
  const serverNow = new Date();
  const eventId = await pageEventId();
  const execution = view.execution || null;
  const pipeline = await getPipelineDetail(viewer, path.id, execution);
  if (!pipeline) notFound();
  return (
    <>
      <PipelineSparkline pipelineId={pipeline.id} />
      <LivePipelineView initialData={pipeline} execution={execution} serverNow={serverNow} eventId={eventId} />
    </>
  );
}
