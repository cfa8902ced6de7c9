import { notFound } from "next/navigation";
import { LiveExecutionView } from "@/components/execution/live-execution-view";
import { executionParamsSchema, parsePageInput } from "@/lib/pipelines/schemas";
import { pageEventId } from "@/lib/server/live/page-event-id";
import { getExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";
import { requireViewer } from "@/lib/server/session";
import type { Metadata } from "next";
import { pipelineMetadata } from "@/lib/server/pipelines/page-title";

type Props = { params: Promise<{ id: string; executionId: string }> };

export async function generateMetadata({ params }: Readonly<Props>): Promise<Metadata> {
  const { id, executionId } = await params;
  return pipelineMetadata(id, `Execution ${executionId.slice(0, 8)}`);
}

export default async function ExecutionPage({ params }: Readonly<Props>) {
  const input = parsePageInput(executionParamsSchema, await params);
  if (!input) notFound();
  const { id, executionId } = input;
  const viewer = await requireViewer(
    `/pipelines/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`,
  );
  const serverNow = new Date();
  const eventId = await pageEventId();
  const execution = await getExecutionDetail(viewer, id, executionId);
  if (!execution) notFound();
  return <LiveExecutionView initialData={execution} serverNow={serverNow} eventId={eventId} />;
}
