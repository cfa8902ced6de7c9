import { formatDuration, spanMs } from "@/lib/format/duration";
import { sourceSummaryText } from "@/lib/format/source-summary";
import type { GraphAction } from "@/lib/pipelines/graph";
import { ExternalLink } from "@/components/ui/external-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { MUTED } from "@/components/ui/styles";

export function ActionCard({
  action,
  now,
  approvalId = null,
}: Readonly<{ action: GraphAction; now: Date; approvalId?: string | null }>) {
  const duration = spanMs(action.startTime, action.endTime, now);
  const summary = sourceSummaryText(action.summary);
  return (
    <li
      data-testid="action"
      data-action={action.name}
      className="min-w-0 flex-1 basis-28 rounded-md border border-zinc-200 bg-zinc-50 p-2 text-xs dark:border-zinc-700 dark:bg-zinc-800/60"
    >
      <p className="truncate font-medium" title={action.name}>
        {action.name}
      </p>
      <p className={`truncate ${MUTED}`} title={`${action.category} · ${action.provider}`}>
        {action.provider}
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-1">
        <StatusBadge status={action.status} label={action.status ? undefined : "Not run"} />
        {duration !== null && <span className={MUTED}>{formatDuration(duration)}</span>}
        {action.attempts > 1 && <span className={MUTED}>attempt {action.attempts}</span>}
      </div>
      {action.errorMessage && (
        <p className="mt-1 line-clamp-3 break-words text-red-700 dark:text-red-300">{action.errorMessage}</p>
      )}
      {!action.errorMessage && summary && (
        <p className={`mt-1 line-clamp-2 break-words ${MUTED}`} data-testid="action-summary">
          {summary}
        </p>
      )}
      {approvalId && (
        <p className="mt-1">
          <a
            href={`#approval-${approvalId}`}
            className="font-medium text-amber-800 underline underline-offset-2 dark:text-amber-200"
          >
            Review approval<span className="sr-only"> at {action.name}</span>
          </a>
        </p>
      )}
      {action.externalUrl && (
        <p className="mt-1">
          <ExternalLink href={action.externalUrl}>
            View run<span className="sr-only"> of {action.name}</span>
          </ExternalLink>
        </p>
      )}
    </li>
  );
}
