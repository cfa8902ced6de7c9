import { notFound } from "next/navigation";
import { ExecutionView } from "@/components/execution/execution-view";
import { executionParamsSchema, parsePageInput } from "@/lib/pipelines/schemas";
import { getExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ id: string; executionId: string }> };

export default async function ExecutionPage({ params }: Readonly<Props>) {
  const input = parsePageInput(executionParamsSchema, await params);
  if (!input) notFound();
  const { id, executionId } = input;
  const viewer = await requireViewer(
    `/pipelines/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`,
  );
  const execution = await getExecutionDetail(viewer, id, executionId);
  if (!execution) notFound();
  return <ExecutionView execution={execution} now={new Date()} />;
}
