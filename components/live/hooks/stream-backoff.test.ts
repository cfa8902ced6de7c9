import { describe, expect, it } from "vitest";
import { FAILURES_BEFORE_POLLING, nextStreamStep, type StreamStep } from "./stream-backoff";

describe("nextStreamStep", () => {
  it("doubles the delay after each failure, jittered between half and all of it, then polls", () => {
    let step: StreamStep = { kind: "connect", failures: 0 };
    const delays: [number, number][] = [];
    for (let i = 1; i < FAILURES_BEFORE_POLLING; i++) {
      const low = nextStreamStep(step, 0);
      const high = nextStreamStep(step, 0.999_999);
      expect(low.kind).toBe("retry");
      delays.push([low.delayMs, high.delayMs]);
      step = high;
    }
    expect(delays).toEqual([
      [500, 1000],
      [1000, 2000],
      [2000, 4000],
    ]);
    const polling = nextStreamStep(step, 0.5);
    expect(polling.kind).toBe("poll");
    expect(polling.delayMs).toBeGreaterThanOrEqual(15_000);
    // Still polling (and trying the stream now and then) after any number of further failures.
    expect(nextStreamStep(polling, 0.5).kind).toBe("poll");
  });
});
