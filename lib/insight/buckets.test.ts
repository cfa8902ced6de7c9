import { describe, expect, it } from "vitest";
import { ALPHA, bucketOf, bucketValueMs, exactQuantileMs, histogramOf, mergeHistograms, quantileMs } from "./buckets";

// A small deterministic generator, so the samples are the same on every run.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("duration buckets", () => {
  it("puts every duration within ALPHA of its bucket's value", () => {
    const rand = lcg(7);
    for (let k = 0; k < 5000; k++) {
      const ms = 1000 + Math.exp(rand() * Math.log(30 * 86_400)) * 1000;
      const value = bucketValueMs(bucketOf(ms));
      expect(Math.abs(value - ms) / ms).toBeLessThanOrEqual(ALPHA + 1e-12);
    }
  });

  it("clamps a second and less into bucket 0 and orders buckets by duration", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(999)).toBe(0);
    expect(bucketOf(1000)).toBe(0);
    expect(bucketOf(1001)).toBe(1);
    expect(bucketOf(60_000)).toBeLessThan(bucketOf(66_000));
    expect(bucketOf(30 * 86_400_000)).toBeLessThan(400);
  });

  it("reads p50 and p90 over merged days within ALPHA of the exact percentiles", () => {
    const rand = lcg(42);
    const days = Array.from({ length: 30 }, (_, d) =>
      Array.from({ length: 20 + d }, () => 30_000 + rand() * 600_000 * (1 + (d % 3))),
    );
    const all = days.flat();
    const merged = mergeHistograms(days.map((d) => histogramOf(d)));
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = exactQuantileMs(all, q)!;
      const approx = quantileMs(merged, q)!;
      expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(ALPHA + 1e-12);
    }
  });

  it("merging is the same as building one histogram from every value", () => {
    const a = [1500, 2000, 90_000];
    const b = [2100, 3_600_000];
    expect([...mergeHistograms([histogramOf(a), histogramOf(b)])].sort()).toEqual(
      [...histogramOf([...a, ...b])].sort(),
    );
  });

  it("has no quantile for no data", () => {
    expect(quantileMs(new Map(), 0.5)).toBeNull();
    expect(exactQuantileMs([], 0.5)).toBeNull();
  });
});
