import { statusLabel, statusTone, type StatusTone } from "@/lib/pipelines/status";

const TONE_CLASSES: Record<StatusTone, string> = {
  success:
    "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  failure: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30",
  running: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30",
  waiting: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-400/30",
  stopped: "bg-zinc-100 text-zinc-700 ring-zinc-500/30 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-400/30",
  neutral: "bg-zinc-50 text-zinc-700 ring-zinc-400/30 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-500/30",
};

const DOT: Record<StatusTone, string> = {
  success: "bg-emerald-600 dark:bg-emerald-400",
  failure: "bg-red-600 dark:bg-red-400",
  running: "bg-sky-600 motion-safe:animate-pulse dark:bg-sky-400",
  waiting: "bg-amber-500",
  stopped: "bg-zinc-500",
  neutral: "bg-zinc-400",
};

/** A status as text with a colour cue; the text alone carries the meaning. */
export function StatusBadge({ status, label }: Readonly<{ status: string | null | undefined; label?: string }>) {
  const tone = statusTone(status);
  return (
    <span
      data-status={status ?? "none"}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE_CLASSES[tone]}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${DOT[tone]}`} />
      {label ?? statusLabel(status)}
    </span>
  );
}
