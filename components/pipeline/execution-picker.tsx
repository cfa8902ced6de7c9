import Link from "next/link";
import { shortSha } from "@/lib/format/commit";
import { formatTimestamp } from "@/lib/format/time";
import { statusLabel } from "@/lib/pipelines/status";
import type { ExecutionListItem } from "@/lib/server/pipelines/list-executions";
import { BUTTON, INPUT, LINK } from "@/components/ui/styles";

/** Choose which execution the graph shows; a GET form so the choice is a deep link (?execution=…). */
export function ExecutionPicker({
  pipelineId,
  recent,
  selected,
}: Readonly<{ pipelineId: string; recent: ExecutionListItem[]; selected: string | null }>) {
  return (
    <form
      method="get"
      action={`/pipelines/${pipelineId}`}
      className="flex flex-wrap items-end gap-2"
      aria-label="Show the graph as an execution ran"
    >
      <label className="flex flex-col text-sm">
        <span className="mb-1">Show</span>
        <select name="execution" defaultValue={selected ?? ""} className={`${INPUT} max-w-72`}>
          <option value="">Live state (now)</option>
          {recent.map((e) => (
            <option key={e.executionId} value={e.executionId}>
              {`${e.executionId.slice(0, 8)} · ${statusLabel(e.status)} · ${shortSha(e.commitSha) || "no commit"} · ${formatTimestamp(e.startTime)}`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={BUTTON}>
        Show
      </button>
      {selected && (
        <Link href={`/pipelines/${pipelineId}`} className={`py-1.5 text-sm ${LINK}`}>
          Back to live
        </Link>
      )}
    </form>
  );
}
