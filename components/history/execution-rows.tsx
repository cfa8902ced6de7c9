"use client";

import Link from "next/link";
import { CommitRef } from "@/components/ui/commit-ref";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ExecutionRunText } from "@/components/ui/execution-run-text";
import { StatusBadge } from "@/components/ui/status-badge";

/** One executions-table row, with its times already formatted by the server. */
export interface ExecutionRowData extends ExecutionRunText {
  id: string;
  href: string;
  executionId: string;
  /** Only when the table has a pipeline column. */
  pipelineName?: string;
  status: string;
  /** The commit of the execution before this one, for a compare link. */
  previousCommitSha?: string | null;
}

/**
 * The rows of an executions table. A client component so that the page's React payload carries
 * each row as a small record instead of its whole element tree (five times the bytes, built,
 * sent and parsed on every render); the server still renders the rows' HTML. Every text is
 * formatted by the server, so the browser shows exactly what the server rendered.
 */
export function ExecutionRows({
  rows,
  pipelineColumn,
}: Readonly<{ rows: ExecutionRowData[]; pipelineColumn: boolean }>) {
  return (
    <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {rows.map((e) => (
        <tr key={e.id} data-testid="execution-row">
          <td className="px-3 py-2">
            <Link
              href={e.href}
              className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400"
              aria-label={`Execution ${e.executionId}`}
            >
              {e.executionId.slice(0, 8)}
            </Link>
          </td>
          {pipelineColumn && <td className="px-3 py-2">{e.pipelineName ?? ""}</td>}
          <td className="px-3 py-2">
            <StatusBadge status={e.status} />
          </td>
          <td className="max-w-[22rem] px-3 py-2">
            <CommitRef
              sha={e.commitSha}
              message={e.commitMessage}
              url={e.commitUrl}
              previousSha={e.previousCommitSha}
            />
          </td>
          <td className="px-3 py-2 font-mono text-xs">{e.branch ?? ""}</td>
          <td className="px-3 py-2 text-xs" data-testid="execution-trigger" title={e.triggerType ?? undefined}>
            {e.trigger}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-xs">
            <RelativeTime value={e.startedIso} text={e.startedAgo} />
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right text-xs">{e.duration}</td>
        </tr>
      ))}
    </tbody>
  );
}
