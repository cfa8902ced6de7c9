import { formatDuration } from "@/lib/format/duration";
import { sourceSummaryText } from "@/lib/format/source-summary";
import { statusLabel, statusTone, type StatusTone } from "@/lib/pipelines/status";
import type { TimelineRow } from "@/lib/pipelines/timeline";
import { CARD, MUTED } from "@/components/ui/styles";

const BAR: Record<StatusTone, string> = {
  success: "bg-emerald-500 dark:bg-emerald-500",
  failure: "bg-red-500 dark:bg-red-500",
  running: "bg-sky-500 motion-safe:animate-pulse",
  waiting: "bg-amber-400",
  stopped: "bg-zinc-400 dark:bg-zinc-500",
  neutral: "bg-zinc-300 dark:bg-zinc-600",
};

const pct = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/** Gantt chart: one row per stage, action attempt and rule evaluation; bars are CSS percentages. */
export function ExecutionTimeline({ rows, totalMs }: Readonly<{ rows: TimelineRow[]; totalMs: number }>) {
  if (rows.length === 0)
    return <p className={`text-sm ${MUTED}`}>No stage or action runs stored for this execution yet.</p>;
  return (
    <div className={`overflow-x-auto p-3 ${CARD}`}>
      <table className="w-full min-w-[40rem] border-separate border-spacing-y-1 text-sm" data-testid="timeline">
        <caption className="sr-only">Timeline of stages and actions, {formatDuration(totalMs)} in total</caption>
        <thead className={`text-xs ${MUTED}`}>
          <tr>
            <th scope="col" className="w-56 text-left font-medium">
              Step
            </th>
            <th scope="col" className="text-left font-medium">
              0 → {formatDuration(totalMs)}
            </th>
            <th scope="col" className="w-24 text-right font-medium">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr
              key={`${row.kind}-${row.stageName}-${row.label}-${row.attempt}-${i}`}
              data-testid="timeline-row"
              data-kind={row.kind}
            >
              <th
                scope="row"
                className={`max-w-56 truncate text-left align-top font-normal ${row.kind === "stage" ? "font-medium" : "pl-4"}`}
              >
                {row.kind === "rule" ? "Rule " : ""}
                {row.label}
                {row.attempt > 1 && <span className={`ml-1 text-xs ${MUTED}`}>(retry {row.attempt - 1})</span>}
                <span className="sr-only">: {statusLabel(row.status)}</span>
                {row.errorMessage && (
                  <p className="whitespace-normal break-words text-xs text-red-700 dark:text-red-300">
                    {row.errorMessage}
                  </p>
                )}
                {!row.errorMessage && sourceSummaryText(row.summary) && (
                  <p className={`whitespace-normal break-words text-xs ${MUTED}`} data-testid="timeline-summary">
                    {sourceSummaryText(row.summary)}
                  </p>
                )}
              </th>
              <td className="align-top">
                <div className="relative h-5 rounded bg-zinc-100 dark:bg-zinc-800">
                  {row.durationMs !== null && (
                    <div
                      className={`absolute inset-y-0.5 rounded-sm ${BAR[statusTone(row.status)]}`}
                      style={{ left: pct(row.offset), width: pct(row.width) }}
                      title={`${statusLabel(row.status)} · ${formatDuration(row.durationMs)}`}
                    />
                  )}
                </div>
              </td>
              <td className="whitespace-nowrap text-right align-top text-xs">{formatDuration(row.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
