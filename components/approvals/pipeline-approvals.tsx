"use client";

import type { ApprovalDetail, ApprovalView } from "@/lib/control/contract";
import { ApprovalPanel } from "./approval-panel";
import { useApproval, useInbox } from "./hooks/use-approvals";
import { useStickyApprovals } from "./hooks/use-sticky-approvals";

const asDetail = (view: ApprovalView): ApprovalDetail => ({
  ...view,
  commits: [],
  totalCommits: 0,
  compareUrl: null,
  startedBy: null,
  previousStages: [],
});

function Panel({ view }: Readonly<{ view: ApprovalView }>) {
  const { data } = useApproval(view.id);
  return <ApprovalPanel approval={data ?? asDetail(view)} />;
}

/**
 * The approvals waiting on one pipeline (or one execution of it), each as a panel. An approval stays on
 * screen after it leaves the inbox (decided, expired), so the person who decided sees the outcome there.
 */
export function PipelineApprovals({
  pipelineId,
  executionId = null,
}: Readonly<{ pipelineId: string; executionId?: string | null }>) {
  const { data } = useInbox();
  const current = (data?.items ?? []).filter(
    (a) => a.pipelineId === pipelineId && (executionId === null || a.executionId === executionId),
  );
  const shown = useStickyApprovals(current);
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="approvals-heading" className="mb-4 space-y-3">
      <h2 id="approvals-heading" className="font-medium">
        {current.length === 1
          ? "Waiting for approval"
          : current.length > 1
            ? `${current.length} approvals waiting`
            : "Approvals"}
      </h2>
      {shown.map(({ view }) => (
        <Panel key={view.id} view={view} />
      ))}
    </section>
  );
}

/** The pending approval at each `stage/action` of a pipeline, for the stage graph's links to the panels. */
export function usePendingApprovalsByAction(pipelineId: string): ReadonlyMap<string, string> {
  const { data } = useInbox();
  const map = new Map<string, string>();
  for (const a of data?.items ?? [])
    if (a.pipelineId === pipelineId && a.status === "Pending") map.set(`${a.stageName}/${a.actionName}`, a.id);
  return map;
}
