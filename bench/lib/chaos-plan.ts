// Pure helpers of the benchmark's chaos runs: when to kill, and what a killed consumer's record shows.

/**
 * `count` distinct random steps out of `steps`, one in each of `count` equal slices, none in the first 10%
 * (the fleet is only starting to run) nor the last 10% (a kill missed at its step still has steps to land in).
 */
export function killSteps(count: number, steps: number, random: () => number = Math.random): Set<number> {
  const start = Math.floor(steps / 10);
  const slice = (steps - 2 * start) / Math.max(1, count);
  return new Set(Array.from({ length: count }, (_, i) => start + Math.floor((i + random()) * slice)));
}

/**
 * A durable consumer's record (every change id it handled, in order, a repeat for each redelivery) against
 * the change rows: gaps are rows it never handled, duplicates handlings beyond the first.
 */
export function tallyConsumer(
  handled: readonly bigint[],
  rows: readonly bigint[],
): { gaps: number; duplicates: number } {
  const seen = new Set(handled);
  return { gaps: rows.filter((id) => !seen.has(id)).length, duplicates: handled.length - seen.size };
}
