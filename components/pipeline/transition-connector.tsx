import type { GraphStage } from "@/lib/pipelines/graph";
import { formatTimestamp } from "@/lib/format/time";

/**
 * The arrow between two stages. A disabled transition is drawn broken (gap and cross) and states its
 * reason, who disabled it and when, as text (the reason is user input stored by AWS).
 */
export function TransitionConnector({
  transition,
  to,
}: Readonly<{ transition: NonNullable<GraphStage["transition"]>; to: string }>) {
  if (transition.enabled) {
    return (
      <div className="flex w-8 shrink-0 rotate-90 items-center sm:mt-4 sm:rotate-0" aria-hidden="true">
        <svg viewBox="0 0 32 12" className="w-8 text-zinc-400 dark:text-zinc-500">
          <path d="M0 6h26" stroke="currentColor" strokeWidth="2" />
          <path d="M24 1l6 5-6 5" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
      </div>
    );
  }
  return (
    <div
      data-testid="transition-disabled"
      className="flex w-40 shrink-0 flex-col items-center justify-center gap-1 px-1 text-center text-xs sm:mt-3"
      role="group"
      aria-label={`Transition into ${to} is disabled`}
    >
      <svg viewBox="0 0 64 16" className="w-16 text-red-600 dark:text-red-400" aria-hidden="true">
        <path d="M0 8h22M42 8h14" stroke="currentColor" strokeWidth="2" strokeDasharray="4 3" />
        <path d="M27 3l10 10M37 3L27 13" stroke="currentColor" strokeWidth="2" />
        <path d="M54 3l6 5-6 5" fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
      <p className="font-semibold text-red-700 dark:text-red-300">Transition disabled</p>
      {transition.reason && (
        <p className="break-words" data-testid="transition-reason">
          “{transition.reason}”
        </p>
      )}
      {(transition.by || transition.at) && (
        <p className="text-zinc-600 dark:text-zinc-400">
          {transition.by && (
            <>
              by <span className="break-all">{transition.by}</span>
            </>
          )}
          {transition.at && <> · {formatTimestamp(transition.at)}</>}
        </p>
      )}
    </div>
  );
}
