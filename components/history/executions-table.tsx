import type { ExecutionListItem } from "@/lib/server/pipelines/list-executions";
import { executionRunText } from "@/components/ui/execution-run-text";
import { CARD, MUTED } from "@/components/ui/styles";
import { ExecutionRows, type ExecutionRowData } from "./execution-rows";

function rowData(
  e: ExecutionListItem,
  now: Date,
  pipelineNames: Map<string, string> | undefined,
  previous: ExecutionListItem | undefined,
): ExecutionRowData {
  return {
    id: e.id,
    href: `/pipelines/${e.pipelineId}/executions/${encodeURIComponent(e.executionId)}`,
    executionId: e.executionId,
    ...(pipelineNames ? { pipelineName: pipelineNames.get(e.pipelineId) ?? "" } : {}),
    status: e.status,
    ...executionRunText(e, now),
    // The next row is the one before it in time; across pipelines a compare view would mean nothing.
    previousCommitSha: !pipelineNames && previous?.pipelineId === e.pipelineId ? previous.commitSha : null,
  };
}

/** Executions newest first; `pipelineNames` adds a pipeline column when rows span several pipelines. */
export function ExecutionsTable({
  items,
  now,
  caption,
  pipelineNames,
}: Readonly<{ items: ExecutionListItem[]; now: Date; caption: string; pipelineNames?: Map<string, string> }>) {
  return (
    <div className={`overflow-x-auto ${CARD}`}>
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className={`border-b border-zinc-200 text-xs dark:border-zinc-800 ${MUTED}`}>
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Execution
            </th>
            {pipelineNames && (
              <th scope="col" className="px-3 py-2 font-medium">
                Pipeline
              </th>
            )}
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Commit
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Branch
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Trigger
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Duration
            </th>
          </tr>
        </thead>
        <ExecutionRows
          rows={items.map((e, i) => rowData(e, now, pipelineNames, items[i + 1]))}
          pipelineColumn={pipelineNames !== undefined}
        />
      </table>
    </div>
  );
}
