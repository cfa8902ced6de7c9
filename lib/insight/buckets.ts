// Fixed log-spaced duration buckets (a DDSketch-style mapping with 2 % relative accuracy), shared by the rollups
// and every reader: bucket i (i ≥ 1) holds durations in (γ^(i-1), γ^i] seconds, bucket 0 everything up to 1 s.
// Counts per bucket add up across days, pipelines and stages, so a percentile over any range is read from summed
// counts and stays within ALPHA of the exact value however many days are combined.

/** Relative accuracy of a percentile read from the buckets (for durations of 1 s and more). */
export const ALPHA = 0.02;
export const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** About 60 years: nothing real is longer, and the index fits a smallint. */
export const MAX_BUCKET = 1200;

/** The bucket of a duration in milliseconds. */
export function bucketOf(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 1000) return 0;
  const i = Math.ceil(Math.log(ms / 1000) / LN_GAMMA - 1e-9);
  return Math.min(MAX_BUCKET, Math.max(1, i));
}

/**
 * The value a bucket stands for, in milliseconds: the point whose relative distance to both edges is the same
 * (2γ^i/(γ+1) s), so every duration in the bucket is within ALPHA of it. Bucket 0 stands for 1 s.
 */
export function bucketValueMs(bucket: number): number {
  if (bucket <= 0) return 1000;
  return (1000 * 2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** Counts by bucket (sparse). */
export type Histogram = ReadonlyMap<number, number>;

export function histogramOf(durationsMs: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const ms of durationsMs) {
    const b = bucketOf(ms);
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

export function mergeHistograms(histograms: Iterable<Histogram>): Map<number, number> {
  const out = new Map<number, number>();
  for (const h of histograms) for (const [b, n] of h) out.set(b, (out.get(b) ?? 0) + n);
  return out;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank: the value of the first bucket whose running count reaches ⌈q·N⌉.
 * Null for an empty histogram.
 */
export function quantileMs(h: Histogram, q: number): number | null {
  const total = histogramCount(h);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const b of [...h.keys()].sort((x, y) => x - y)) {
    seen += h.get(b) ?? 0;
    if (seen >= rank) return bucketValueMs(b);
  }
  return null;
}

/** The exact nearest-rank quantile of raw values: what quantileMs approximates. */
export function exactQuantileMs(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? null;
}
