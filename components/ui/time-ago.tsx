import { formatRelative, formatTimestamp } from "@/lib/format/time";

/** Relative time computed on the server (the page re-renders on changes), with the exact UTC time on hover. */
export function TimeAgo({ value, now }: Readonly<{ value: Date | string | null | undefined; now: Date }>) {
  if (!value) return <span>—</span>;
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} title={formatTimestamp(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
