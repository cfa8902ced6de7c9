import { notFound } from "next/navigation";
import { PipelineView } from "@/components/pipeline/pipeline-view";
import { firstValues } from "@/lib/pipelines/schemas";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PipelinePage({ params, searchParams }: Readonly<Props>) {
  const { id } = await params;
  const viewer = await requireViewer(`/pipelines/${id}`);
  const execution = firstValues(await searchParams).execution?.slice(0, 100) || null;
  const pipeline = await getPipelineDetail(viewer, id, execution);
  if (!pipeline) notFound();
  return <PipelineView pipeline={pipeline} now={new Date()} />;
}
