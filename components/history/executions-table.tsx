import Link from "next/link";
import { formatDuration, spanMs } from "@/lib/format/duration";
import { FINAL_STATUSES } from "@/lib/pipelines/status";
import type { ExecutionListItem } from "@/lib/server/pipelines/list-executions";
import { CommitRef } from "@/components/ui/commit-ref";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";

/** Executions newest first; `pipelineNames` adds a pipeline column when rows span several pipelines. */
export function ExecutionsTable({ items, now, caption, pipelineNames }: Readonly<{ items: ExecutionListItem[]; now: Date; caption: string; pipelineNames?: Map<string, string> }>) {
  return (
    <div className={`overflow-x-auto ${CARD}`}>
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className={`border-b border-zinc-200 text-xs dark:border-zinc-800 ${MUTED}`}>
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Execution</th>
            {pipelineNames && <th scope="col" className="px-3 py-2 font-medium">Pipeline</th>}
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="px-3 py-2 font-medium">Commit</th>
            <th scope="col" className="px-3 py-2 font-medium">Branch</th>
            <th scope="col" className="px-3 py-2 font-medium">Trigger</th>
            <th scope="col" className="px-3 py-2 font-medium">Started</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((e) => {
            const running = !FINAL_STATUSES.has(e.status);
            return (
              <tr key={e.id} data-testid="execution-row">
                <td className="px-3 py-2">
                  <Link href={`/pipelines/${e.pipelineId}/executions/${encodeURIComponent(e.executionId)}`} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400" aria-label={`Execution ${e.executionId}`}>
                    {e.executionId.slice(0, 8)}
                  </Link>
                </td>
                {pipelineNames && <td className="px-3 py-2">{pipelineNames.get(e.pipelineId) ?? ""}</td>}
                <td className="px-3 py-2"><StatusBadge status={e.status} /></td>
                <td className="max-w-[22rem] px-3 py-2"><CommitRef sha={e.commitSha} message={e.commitMessage} url={e.commitUrl} /></td>
                <td className="px-3 py-2 font-mono text-xs">{e.branch ?? ""}</td>
                <td className="px-3 py-2 text-xs">{e.triggerType ?? ""}</td>
                <td className="whitespace-nowrap px-3 py-2 text-xs"><TimeAgo value={e.startTime} now={now} /></td>
                <td className="whitespace-nowrap px-3 py-2 text-right text-xs">{running ? "running " : ""}{formatDuration(spanMs(e.startTime, running ? null : e.lastUpdateTime, now))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
