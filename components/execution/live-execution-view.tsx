"use client";

import { usePipelineRights } from "@/components/control/hooks/use-rights";
import { useLiveData } from "@/components/live/hooks/use-live-data";
import { fetchExecution } from "@/lib/pipelines/api-client";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { ExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";
import { ExecutionView } from "./execution-view";

/** One execution, refetched (GET /api/pipelines/:id/executions/:executionId) when it changes. */
export function LiveExecutionView({
  initialData,
  serverNow,
  eventId,
}: Readonly<{ initialData: ExecutionDetail; serverNow: Date; eventId: string | null }>) {
  const { data, now } = useLiveData({
    queryKey: pipelineKeys.execution(initialData.pipeline.id, initialData.executionId),
    queryFn: (signal) => fetchExecution<ExecutionDetail>(initialData.pipeline.id, initialData.executionId, signal),
    initialData,
    serverNow,
  });
  // Rights matter only while something can still be done to the execution.
  const { data: rights } = usePipelineRights(initialData.pipeline.id, !data.finished);
  return <ExecutionView execution={data} now={now} eventId={eventId} rights={rights ?? null} />;
}
