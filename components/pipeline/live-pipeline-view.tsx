"use client";

import { usePendingApprovalsByAction } from "@/components/approvals/pipeline-approvals";
import { usePipelineRights } from "@/components/control/hooks/use-rights";
import { useLiveData } from "@/components/live/hooks/use-live-data";
import { DocumentTitle } from "@/components/ui/document-title";
import { fetchPipeline } from "@/lib/pipelines/api-client";
import { pipelineTitle } from "@/lib/pipelines/page-title";
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
  return (
    <>
      {/* The newest execution is the pipeline's status, as on the overview. */}
      <DocumentTitle title={pipelineTitle(data.name, data.recent[0]?.status ?? null)} />
      <PipelineView pipeline={data} now={now} eventId={eventId} rights={rights ?? null} approvalAt={approvalAt} />
    </>
  );
}
