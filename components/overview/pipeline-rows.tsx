"use client";

import Link from "next/link";
import { CommitRef } from "@/components/ui/commit-ref";
import type { ExecutionRunText } from "@/components/ui/execution-run-text";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { MUTED } from "@/components/ui/styles";

/** One overview row, with every text already formatted by the server. */
export interface PipelineRowData {
  id: string;
  name: string;
  latestStatus: string | null;
  currentStage: string | null;
  /** The latest execution waits to enter currentStage rather than being in it. */
  waitingForStage: boolean;
  /** Labels of the reasons it needs attention, most severe first. */
  attention: string[];
  latest: ExecutionRunText | null;
  accountId: string;
  region: string;
}

/**
 * Pipeline list items. A client component so that the page's React payload carries each row as a
 * small record instead of its element tree (several times the bytes, built, sent and parsed on
 * every render); the server still renders the same HTML, and the browser formats nothing itself.
 */
export function PipelineRows({ rows }: Readonly<{ rows: PipelineRowData[] }>) {
  return rows.map((row) => {
    const latest = row.latest;
    return (
      <li
        key={row.id}
        data-testid="pipeline"
        className="grid gap-x-4 gap-y-1 px-4 py-3 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)_minmax(0,12rem)]"
      >
        <div className="min-w-0">
          <Link href={`/pipelines/${row.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
            {row.name}
          </Link>
          <div className="mt-1 flex flex-wrap items-center gap-1.5">
            <span data-testid="pipeline-status">
              <StatusBadge status={row.latestStatus} />
            </span>
            {row.currentStage && (
              <span className={`text-xs ${MUTED}`}>
                {row.waitingForStage ? "waiting for" : "in"} {row.currentStage}
              </span>
            )}
          </div>
          {row.attention.length > 0 && (
            <ul aria-label="Needs attention" className="mt-1 flex flex-wrap gap-1">
              {row.attention.map((label) => (
                <li
                  key={label}
                  className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900/60 dark:text-amber-100"
                >
                  {label}
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
                {latest.branch && (
                  <span>
                    branch <span className="font-mono">{latest.branch}</span>
                  </span>
                )}
                {latest.triggerType && <span>{latest.trigger}</span>}
              </p>
            </>
          ) : (
            <span className={MUTED}>No executions yet</span>
          )}
        </div>
        <div className={`text-xs md:text-right ${MUTED}`}>
          {latest && (
            <p>
              <RelativeTime value={latest.startedIso} text={latest.startedAgo} /> · {latest.duration}
            </p>
          )}
          <p>
            {row.accountId} · {row.region}
          </p>
        </div>
      </li>
    );
  });
}
