// Timing helpers shared by the dashboard benchmark.

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
};

/** Three unmeasured calls, then `runs` measured ones in sequence; times in ms. */
export async function time<T>(runs: number, fn: (i: number) => Promise<T>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}
