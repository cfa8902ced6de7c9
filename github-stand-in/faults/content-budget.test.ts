import { describe, expect, it } from "vitest";
import { ContentBudget, decide, scaledLimits } from "./content-budget";

describe("content-creation budget", () => {
  it("scales GitHub's 80 a minute and 500 an hour, never below one", () => {
    expect(scaledLimits(1)).toEqual({ perMinute: 80, perHour: 500 });
    expect(scaledLimits(0.1)).toEqual({ perMinute: 8, perHour: 50 });
    expect(scaledLimits(0.001)).toEqual({ perMinute: 1, perHour: 1 });
  });

  it("refuses the request past the minute's limit until the oldest one leaves the window", () => {
    const limits = { perMinute: 2, perHour: 10 };
    expect(decide([1_000, 2_000], 30_000, limits)).toEqual({ kind: "refused", retryAfterSeconds: 31 });
    expect(decide([1_000, 2_000], 61_001, limits)).toEqual({ kind: "allowed" });
  });

  it("refuses past the hour's limit even when the minute is quiet, with the wait for the hour", () => {
    const limits = { perMinute: 5, perHour: 3 };
    expect(decide([0, 60_000, 120_000], 600_000, limits)).toEqual({ kind: "refused", retryAfterSeconds: 3000 });
    expect(decide([0, 60_000, 120_000], 3_600_001, limits)).toEqual({ kind: "allowed" });
  });

  it("counts each bucket apart, and refused requests do not count", () => {
    const budget = new ContentBudget(1, { perMinute: 1, perHour: 100 });
    expect(budget.take("installation:1", 0).kind).toBe("allowed");
    expect(budget.take("installation:1", 1_000).kind).toBe("refused");
    expect(budget.take("installation:2", 1_000).kind).toBe("allowed");
    expect(budget.take("installation:1", 60_001).kind).toBe("allowed");
    expect(budget.usage(61_001)).toEqual({
      "installation:1": { minute: 1, hour: 2 },
      "installation:2": { minute: 0, hour: 1 },
    });
  });
});
