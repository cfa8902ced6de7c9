import Link from "next/link";
import { executionStopControl } from "@/lib/control/available-controls";
import type { PipelineRights } from "@/lib/control/contract";
import { formatDuration, spanMs } from "@/lib/format/duration";
import { shortSha } from "@/lib/format/commit";
import { sourceSummaryText } from "@/lib/format/source-summary";
import { executionTriggerText } from "@/lib/pipelines/trigger-text";
import type { ExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";
import { PipelineApprovals } from "@/components/approvals/pipeline-approvals";
import { ExecutionStop } from "@/components/control/release-change";
import { LiveUpdates } from "@/components/live/live-updates";
import { CommitRef } from "@/components/ui/commit-ref";
import { ExternalLink } from "@/components/ui/external-link";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, LINK, MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";
import { ExecutionTimeline } from "./execution-timeline";

export function ExecutionView({
  execution: e,
  now,
  eventId = null,
  rights = null,
}: Readonly<{ execution: ExecutionDetail; now: Date; eventId?: string | null; rights?: PipelineRights | null }>) {
  const { pipeline } = e;
  const stop = executionStopControl(
    {
      executionId: e.executionId,
      status: e.status,
      inProgressActions: e.timeline.rows.filter((r) => r.kind === "action" && r.status === "InProgress").length,
    },
    rights,
  );
  const crumbs = [
    { label: "Repositories", href: "/" },
    ...(pipeline.repository ? [{ label: pipeline.repository, href: `/repositories/${pipeline.repository}` }] : []),
    { label: pipeline.name, href: `/pipelines/${pipeline.id}` },
    { label: "History", href: `/pipelines/${pipeline.id}/executions` },
  ];
  const fact = (term: string, value: React.ReactNode, wide = false) => (
    <div className={wide ? "sm:col-span-2 lg:col-span-4" : undefined}>
      <dt className={`text-xs ${MUTED}`}>{term}</dt>
      <dd className="break-words">{value}</dd>
    </div>
  );
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={crumbs}
        title={
          <>
            Execution <span className="font-mono">{e.executionId}</span>
          </>
        }
      >
        <div className="flex items-center gap-4">
          {!e.finished && <LiveUpdates pipeline={pipeline.id} eventId={eventId} />}
          {stop && <ExecutionStop control={stop} pipelineId={pipeline.id} pipelineName={pipeline.name} />}
          <Link
            href={`/pipelines/${pipeline.id}?execution=${encodeURIComponent(e.executionId)}`}
            className={`text-sm ${LINK}`}
          >
            Show on graph
          </Link>
        </div>
      </PageHeader>
      <dl aria-label="Summary" className={`grid gap-4 p-4 text-sm sm:grid-cols-2 lg:grid-cols-4 ${CARD}`}>
        {fact("Status", <StatusBadge status={e.status} />)}
        {fact("Started", <TimeAgo value={e.startTime} now={now} />)}
        {fact(
          "Duration",
          `${e.finished ? "" : "running "}${formatDuration(spanMs(e.startTime, e.finished ? e.lastUpdateTime : null, now))}`,
        )}
        {fact(
          "Trigger",
          <span data-testid="execution-trigger" title={e.triggerType ?? undefined}>
            {executionTriggerText({
              triggerType: e.triggerType,
              triggerDetail: e.triggerDetail,
              startedBy: e.startedBy,
              connectionProvider: e.connectionProvider,
            })}
          </span>,
        )}
        {fact("Branch", e.branch ? <span className="font-mono">{e.branch}</span> : "—")}
        {fact("Mode", [e.executionMode, e.executionType].filter(Boolean).join(" · ") || "—")}
        {fact("Pipeline version", e.pipelineVersion ?? "—")}
        {e.rollbackTargetExecutionId &&
          fact("Rolls back to", <span className="font-mono">{e.rollbackTargetExecutionId}</span>)}
        {e.statusSummary && fact("Status summary", e.statusSummary, true)}
        {e.stopReason && fact("Stop reason", e.stopReason, true)}
      </dl>
      {/* Also once finished: a decision that ends the execution (a rejection) keeps its panel and outcome on screen. */}
      <PipelineApprovals pipelineId={pipeline.id} executionId={e.executionId} />
      <section aria-labelledby="commits-heading">
        <h2 id="commits-heading" className="mb-2 font-medium">
          Commits
        </h2>
        <ul className={`divide-y divide-zinc-100 text-sm dark:divide-zinc-800 ${CARD}`}>
          {e.commitSha || e.commitMessage ? (
            <li className="px-4 py-3">
              <CommitRef
                sha={e.commitSha}
                message={null}
                url={e.commitUrl}
                repository={pipeline.repository}
                previousSha={e.previousCommitSha}
                pullRequestFrom={e.commitMessage}
              />
              <p className="mt-1 whitespace-pre-wrap break-words" data-testid="execution-commit-message">
                {e.commitMessage}
              </p>
            </li>
          ) : null}
          {e.revisions
            .filter((r) => r.revisionId !== e.commitSha)
            .map((r, i) => (
              <li key={`${r.revisionId}-${i}`} className="px-4 py-3">
                <span className={`text-xs ${MUTED}`}>{r.actionName ?? "Source"}: </span>
                <ExternalLink href={r.revisionUrl} className="font-mono text-xs">
                  {shortSha(r.revisionId) || "revision"}
                </ExternalLink>
                {sourceSummaryText(r.revisionSummary, { full: true }) && (
                  <p className="mt-1 line-clamp-3 whitespace-pre-wrap break-words">
                    {sourceSummaryText(r.revisionSummary, { full: true })}
                  </p>
                )}
              </li>
            ))}
          {!e.commitSha && !e.commitMessage && e.revisions.length === 0 && (
            <li className={`px-4 py-3 ${MUTED}`}>No source revisions recorded.</li>
          )}
        </ul>
      </section>
      {e.variables.length > 0 && (
        <section aria-labelledby="variables-heading">
          <h2 id="variables-heading" className="mb-2 font-medium">
            Variables
          </h2>
          <dl className={`grid gap-x-4 gap-y-1 p-4 font-mono text-xs sm:grid-cols-[auto_1fr] ${CARD}`}>
            {e.variables.map((v) => (
              <div key={v.name} className="contents">
                <dt className="font-semibold">{v.name}</dt>
                <dd className="break-all">{v.value ?? ""}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="mb-2 font-medium">
          Timeline
        </h2>
        <ExecutionTimeline rows={e.timeline.rows} totalMs={e.timeline.totalMs} />
      </section>
    </div>
  );
}
