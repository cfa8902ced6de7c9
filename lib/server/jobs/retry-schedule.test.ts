import { describe, expect, it } from "vitest";
import { maxAttempts, nextAttempt } from "@/lib/server/jobs/retry-schedule";

const now = new Date("2026-12-01T10:00:00Z");
const schedule = { delaysMs: [1_000, 5_000] };

describe("the shared retry schedule", () => {
  it("waits the listed delay after each failed attempt, then gives up", () => {
    expect(maxAttempts(schedule)).toBe(3);
    expect(nextAttempt(schedule, { attempts: 1, now })).toEqual({ kind: "retry", at: new Date(now.getTime() + 1_000) });
    expect(nextAttempt(schedule, { attempts: 2, now })).toEqual({ kind: "retry", at: new Date(now.getTime() + 5_000) });
    expect(nextAttempt(schedule, { attempts: 3, now })).toEqual({ kind: "give-up" });
  });

  it("never comes back sooner than the other side asked", () => {
    expect(nextAttempt(schedule, { attempts: 1, now, notBeforeMs: 60_000 })).toEqual({
      kind: "retry",
      at: new Date(now.getTime() + 60_000),
    });
    expect(nextAttempt(schedule, { attempts: 2, now, notBeforeMs: 10 })).toEqual({
      kind: "retry",
      at: new Date(now.getTime() + 5_000),
    });
  });
});
