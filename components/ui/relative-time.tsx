import { formatRelative, formatTimestamp } from "@/lib/format/time";

/**
 * Every relative time on the dashboard ("3 minutes ago"), with its absolute UTC time on hover and
 * a machine-readable dateTime. `text` lets a caller pass a relative form formatted earlier.
 */
export function RelativeTime({
  value,
  now,
  text,
  prefix = "",
}: Readonly<{ value: Date | string | null | undefined; now?: Date; text?: string; prefix?: string }>) {
  if (!value) return <span>—</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  return (
    <time dateTime={date.toISOString()} title={`${prefix}${formatTimestamp(date)}`}>
      {text ?? formatRelative(date, now ?? new Date())}
    </time>
  );
}
