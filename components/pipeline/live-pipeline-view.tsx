"use client";

import { usePendingApprovalsByAction } from "@/components/approvals/pipeline-approvals";
import { usePipelineRights } from "@/components/control/hooks/use-rights";
import { useLiveData } from "@/components/live/hooks/use-live-data";
import { fetchPipeline } from "@/lib/pipelines/api-client";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { PipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { PipelineView } from "./pipeline-view";

/** A pipeline's graph, refetched (GET /api/pipelines/:id) when the pipeline changes. */
export function LivePipelineView({
  initialData,
  execution,
  serverNow,
  eventId,
}: Readonly<{ initialData: PipelineDetail; execution: string | null; serverNow: Date; eventId: string | null }>) {
  const { data, now } = useLiveData({
    queryKey: pipelineKeys.detail(initialData.id, execution),
    queryFn: (signal) => fetchPipeline<PipelineDetail>(initialData.id, execution, signal),
    initialData,
    serverNow,
  });
  const { data: rights } = usePipelineRights(initialData.id);
  const approvalAt = usePendingApprovalsByAction(initialData.id);
  return <PipelineView pipeline={data} now={now} eventId={eventId} rights={rights ?? null} approvalAt={approvalAt} />;
}
