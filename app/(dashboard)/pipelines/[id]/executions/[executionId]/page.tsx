import { notFound } from "next/navigation";
import { ExecutionView } from "@/components/execution/execution-view";
import { getExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string; executionId: string }> };

export default async function ExecutionPage({ params }: Readonly<Props>) {
  const { id, executionId } = await params;
  const decoded = decodeURIComponent(executionId);
  const viewer = await requireViewer(`/pipelines/${id}/executions/${executionId}`);
  const execution = await getExecutionDetail(viewer, id, decoded);
  if (!execution) notFound();
  return <ExecutionView execution={execution} now={new Date()} />;
}
