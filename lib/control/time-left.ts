// How long an approval has before AWS expires it, worded for a person and recomputed as the clock runs.

export type TimeLeft =
  | { kind: "unknown"; text: string }
  | { kind: "expired"; text: string }
  /** `tickMs`: how soon the text changes, so a countdown re-renders no more often than it must. */
  | { kind: "left"; ms: number; text: string; urgent: boolean; tickMs: number };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Two units at most ("6 days 23 hours", "3 hours 12 minutes"), seconds only in the last ten minutes. */
function words(ms: number): string {
  if (ms >= DAY) {
    const days = Math.floor(ms / DAY);
    const hours = Math.floor((ms % DAY) / HOUR);
    return hours ? `${unit(days, "day")} ${unit(hours, "hour")}` : unit(days, "day");
  }
  if (ms >= HOUR) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes ? `${unit(hours, "hour")} ${unit(minutes, "minute")}` : unit(hours, "hour");
  }
  if (ms >= 10 * MINUTE) return unit(Math.floor(ms / MINUTE), "minute");
  const minutes = Math.floor(ms / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  if (!minutes) return unit(seconds, "second");
  return seconds ? `${unit(minutes, "minute")} ${unit(seconds, "second")}` : unit(minutes, "minute");
}

export function timeLeft(expiresAt: Date | string | null | undefined, now: Date): TimeLeft {
  if (!expiresAt) return { kind: "unknown", text: "No expiry known" };
  const ms = new Date(expiresAt).getTime() - now.getTime();
  if (Number.isNaN(ms)) return { kind: "unknown", text: "No expiry known" };
  if (ms <= 0) return { kind: "expired", text: "Expired" };
  // Counted down in whole units (floor), so "1 minute" never shows while less than a minute is left.
  const step = ms >= 10 * MINUTE ? MINUTE : SECOND;
  const tickMs = ms % step || step;
  return { kind: "left", ms, text: `${words(ms)} left`, urgent: ms < HOUR, tickMs };
}
