import { RelativeTime } from "./relative-time";

/** Relative time computed on the server (the page re-renders on changes), with the exact UTC time on hover. */
export function TimeAgo({ value, now }: Readonly<{ value: Date | string | null | undefined; now: Date }>) {
  return <RelativeTime value={value} now={now} />;
}
