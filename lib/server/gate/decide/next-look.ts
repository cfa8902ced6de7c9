// When the gate looks at a commit's checks again without being told to (pure). Webhooks say when checks change, so
// these looks only make up for deliveries that never came: often while a commit is fresh, rarely once it is old, and
// not at all after a week, when a commit still waiting is no longer a release anyone expects. A failed read of
// GitHub is retried sooner, backing off.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;

export function nextLookMs(state: "waiting" | "blocked", ageMs: number): number | null {
  if (ageMs > WEEK) return null;
  if (ageMs > 24 * HOUR) return HOUR;
  if (state === "blocked") return 10 * MINUTE;
  return ageMs > HOUR ? 10 * MINUTE : 30_000;
}

/** After the `attempts`-th read of GitHub or start in a row failed: 5 s, 10 s, 20 s, … at most 5 minutes. */
export function retryMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 5 * MINUTE);
}
