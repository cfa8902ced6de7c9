import Link from "next/link";
import { ATTENTION_LABELS } from "@/lib/pipelines/attention";
import { formatDuration, spanMs } from "@/lib/format/duration";
import { FINAL_STATUSES } from "@/lib/pipelines/status";
import type { PipelineRow as Row } from "@/lib/server/pipelines/load-pipeline-rows";
import { CommitRef } from "@/components/ui/commit-ref";
import { StatusBadge } from "@/components/ui/status-badge";
import { MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";

export function PipelineRow({ row, now }: Readonly<{ row: Row; now: Date }>) {
  const latest = row.latest;
  const running = latest ? !FINAL_STATUSES.has(latest.status) : false;
  const duration = latest ? spanMs(latest.startTime, running ? null : latest.lastUpdateTime, now) : null;
  return (
    <li data-testid="pipeline" className="grid gap-x-4 gap-y-1 px-4 py-3 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)_minmax(0,12rem)]">
      <div className="min-w-0">
        <Link href={`/pipelines/${row.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
          {row.name}
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-1.5">
          <span data-testid="pipeline-status">
            <StatusBadge status={row.latestStatus} />
          </span>
          {row.currentStage && <span className={`text-xs ${MUTED}`}>in {row.currentStage}</span>}
        </div>
        {row.attention.length > 0 && (
          <ul aria-label="Needs attention" className="mt-1 flex flex-wrap gap-1">
            {row.attention.map((reason) => (
              <li key={reason} className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">
                {reason === "approval" ? `${ATTENTION_LABELS[reason]} (${row.pendingApprovals})` : ATTENTION_LABELS[reason]}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="min-w-0 text-sm">
        {latest ? (
          <>
            <CommitRef sha={latest.commitSha} message={latest.commitMessage} url={latest.commitUrl} />
            <p className={`mt-1 flex flex-wrap gap-x-3 text-xs ${MUTED}`}>
              {latest.branch && <span>branch <span className="font-mono">{latest.branch}</span></span>}
              {latest.triggerType && <span>{latest.triggerType}</span>}
            </p>
          </>
        ) : (
          <span className={MUTED}>No executions yet</span>
        )}
      </div>
      <div className={`text-xs md:text-right ${MUTED}`}>
        {latest && (
          <p>
            <TimeAgo value={latest.startTime} now={now} /> · {running ? "running " : ""}{formatDuration(duration)}
          </p>
        )}
        <p>
          {row.accountId} · {row.region}
        </p>
      </div>
    </li>
  );
}
