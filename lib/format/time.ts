const UNITS: [limitSeconds: number, divisor: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [60, 1, "second"],
  [3600, 60, "minute"],
  [86_400, 3600, "hour"],
  [30 * 86_400, 86_400, "day"],
  [365 * 86_400, 30 * 86_400, "month"],
  [Infinity, 365 * 86_400, "year"],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "now", "in 2 hours". */
export function formatRelative(when: Date | string | null | undefined, now: Date): string {
  if (!when) return "—";
  const seconds = Math.round((new Date(when).getTime() - now.getTime()) / 1000);
  if (!Number.isFinite(seconds)) return "—";
  const abs = Math.abs(seconds);
  for (const [limit, divisor, unit] of UNITS) {
    if (abs < limit) return relative.format(Math.round(seconds / divisor), unit);
  }
  return "—";
}

const absolute = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** A fixed, timezone-stable form for titles and tables ("26 Nov 2026, 15:22:25 UTC"). */
export function formatTimestamp(when: Date | string | null | undefined): string {
  if (!when) return "—";
  const date = new Date(when);
  return Number.isNaN(date.getTime()) ? "—" : `${absolute.format(date)} UTC`;
}
