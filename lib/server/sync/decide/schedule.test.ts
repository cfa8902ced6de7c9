import { describe, expect, it } from "vitest";
import {
  baseDelay,
  earliestFinish,
  eventDueAt,
  eventsFlowing,
  nextSyncAt,
  planSync,
  shortestDurations,
  type ScheduleInput,
} from "./schedule";
import { DEFAULT_SETTINGS } from "../config/settings";

const settings = {
  ...DEFAULT_SETTINGS,
  activeIntervalMs: 5_000,
  waitingIntervalMs: 60_000,
  idleIntervalMs: 300_000,
  maxIdleIntervalMs: 1_200_000,
  reconcileIntervalMs: 1_800_000,
  jitter: 0.1,
};
const input = (over: Partial<ScheduleInput>): ScheduleInput => ({
  now: 1_000_000,
  outcome: "idle",
  idleChecks: 1,
  consecutiveFailures: 0,
  eventsFlowing: false,
  random: 0.5,
  settings,
  ...over,
});

describe("planSync", () => {
  it("backfills executions, then actions, then rules, then checks the state", () => {
    const base = { version: 2, definitionVersion: 2 };
    expect(planSync({ ...base, backfillDone: false, actionBackfillDone: false, ruleBackfillDone: false }).step).toBe(
      "backfill-executions",
    );
    expect(planSync({ ...base, backfillDone: true, actionBackfillDone: false, ruleBackfillDone: false }).step).toBe(
      "backfill-actions",
    );
    expect(planSync({ ...base, backfillDone: true, actionBackfillDone: true, ruleBackfillDone: false }).step).toBe(
      "backfill-rules",
    );
    expect(planSync({ ...base, backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true }).step).toBe(
      "check",
    );
  });

  it("runs the rule backfill only after the passes it depends on, even when it is already marked done", () => {
    // Rules attach to stored executions, so an execution or action pass still owed goes first.
    const base = { version: 2, definitionVersion: 2, ruleBackfillDone: true };
    expect(planSync({ ...base, backfillDone: false, actionBackfillDone: true }).step).toBe("backfill-executions");
    expect(planSync({ ...base, backfillDone: true, actionBackfillDone: false }).step).toBe("backfill-actions");
    expect(planSync({ ...base, ruleBackfillDone: false, backfillDone: false, actionBackfillDone: true }).step).toBe(
      "backfill-executions",
    );
  });

  it("fetches the definition only when none is stored or the version moved", () => {
    const done = { backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true };
    expect(planSync({ ...done, version: 1, definitionVersion: null }).fetchDefinition).toBe(true);
    expect(planSync({ ...done, version: 3, definitionVersion: 2 }).fetchDefinition).toBe(true);
    expect(planSync({ ...done, version: 3, definitionVersion: 3 }).fetchDefinition).toBe(false);
  });
});

describe("scheduling", () => {
  it("polls active pipelines at the active interval, at once while backfilling", () => {
    expect(nextSyncAt(input({ outcome: "active", idleChecks: 0 }))).toBe(1_005_000);
    expect(nextSyncAt(input({ outcome: "backfill" }))).toBe(1_000_000);
  });

  it("backs idle pipelines off: 5, 10, 20 minutes, then stays at the ceiling", () => {
    const delays = [1, 2, 3, 4, 8].map((idleChecks) => baseDelay(input({ idleChecks })));
    expect(delays).toEqual([300_000, 600_000, 1_200_000, 1_200_000, 1_200_000]);
  });

  it("never checks an idle pipeline again sooner than it has been quiet, up to the ceiling", () => {
    const after = (quietMs: number | null) =>
      baseDelay(input({ idleChecks: 1, quietSince: quietMs === null ? null : 1_000_000 - quietMs }));
    // Just finished, unknown, or a clock ahead of ours: the first idle interval.
    expect([after(0), after(null), after(-60_000)]).toEqual([300_000, 300_000, 300_000]);
    // Quiet for 8 minutes or for days (a first sight, or an engine restarted after a long stop).
    expect([after(480_000), after(3 * 86_400_000)]).toEqual([480_000, 1_200_000]);
  });

  it("keeps idle polling within 12 requests per pipeline-hour, and 3 with events", () => {
    const perHour = (flowing: boolean) => {
      let t = 0;
      let checks = 0;
      for (let idle = 1; t < 3_600_000; idle++) {
        t += baseDelay(input({ idleChecks: idle, eventsFlowing: flowing }));
        if (t <= 3_600_000) checks++;
      }
      return checks;
    };
    expect(perHour(false)).toBeLessThanOrEqual(12);
    expect(perHour(true)).toBeLessThanOrEqual(3);
  });

  it("with events flowing, drops idle polling to the reconcile interval and relaxes active polling", () => {
    expect(baseDelay(input({ eventsFlowing: true, idleChecks: 1 }))).toBe(1_800_000);
    expect(baseDelay(input({ outcome: "active", eventsFlowing: true }))).toBe(settings.activeWithEventsIntervalMs);
  });

  it("waits for people at the waiting interval, backing off while nothing moves", () => {
    expect(baseDelay(input({ outcome: "waiting", idleChecks: 0 }))).toBe(60_000);
    expect(baseDelay(input({ outcome: "waiting", idleChecks: 3 }))).toBe(240_000);
    expect(baseDelay(input({ outcome: "waiting", idleChecks: 9 }))).toBe(1_200_000);
  });

  it("checks a recent approval request at least every maxWaitingIntervalMs, an old one or a held execution like an idle pipeline", () => {
    const quick = { ...settings, waitingIntervalMs: 5_000, maxWaitingIntervalMs: 60_000, approvalWatchMs: 3_600_000 };
    const now = 10_000_000;
    const delays = (reviewerAskedAt: number | null) =>
      [1, 2, 3, 5, 12].map((idleChecks) =>
        baseDelay(input({ now, outcome: "waiting", idleChecks, reviewerAskedAt, settings: quick })),
      );
    expect(delays(now - 600_000)).toEqual([5_000, 10_000, 20_000, 60_000, 60_000]);
    expect(delays(now - 4_000_000)).toEqual([5_000, 10_000, 20_000, 80_000, 1_200_000]);
    expect(delays(null)).toEqual([5_000, 10_000, 20_000, 80_000, 1_200_000]);
    // About as often as what follows the answer takes at its quickest, within [1 min, 5 min].
    const followed = (followUpMs: number) =>
      baseDelay(
        input({ now, outcome: "waiting", idleChecks: 12, reviewerAskedAt: now - 600_000, followUpMs, settings: quick }),
      );
    expect([followed(90_000), followed(20_000), followed(900_000), followed(Infinity)]).toEqual([
      90_000, 60_000, 300_000, 300_000,
    ]);
    // With events flowing, the reviewer's answer arrives as an event: the reconcile interval applies.
    expect(
      baseDelay(
        input({
          now,
          outcome: "waiting",
          idleChecks: 12,
          reviewerAskedAt: now - 600_000,
          eventsFlowing: true,
          settings: quick,
        }),
      ),
    ).toBe(1_800_000);
  });

  it("backs off exponentially on errors, capped at the idle interval", () => {
    const delays = [1, 2, 3, 10, 50].map((consecutiveFailures) =>
      baseDelay(input({ outcome: "error", consecutiveFailures })),
    );
    expect(delays).toEqual([5_000, 10_000, 20_000, 300_000, 300_000]);
  });

  it("applies jitter within ±10% from the injected random source", () => {
    expect(nextSyncAt(input({ outcome: "active", random: 0 }))).toBe(1_000_000 + 4_500);
    expect(nextSyncAt(input({ outcome: "active", random: 0.999999 }))).toBeCloseTo(1_000_000 + 5_500, -1);
  });

  it("decides whether events are flowing from the last event time and the clock", () => {
    expect(eventsFlowing(null, 10_000, 3_600_000)).toBe(false);
    expect(eventsFlowing(0, 3_600_000, 3_600_000)).toBe(true);
    expect(eventsFlowing(0, 3_600_001, 3_600_000)).toBe(false);
  });

  it("coalesces event bursts: the due time only moves earlier, never later", () => {
    expect(eventDueAt(1_000, 900_000, 250)).toBe(1_250);
    expect(eventDueAt(1_000, 1_100, 250)).toBe(1_100);
  });
});

describe("after a push GitHub announced", () => {
  const watched = (over: Partial<ScheduleInput>) =>
    nextSyncAt(input({ idleChecks: 6, pushWatchUntil: 1_120_000, ...over }));

  it("checks an idle or waiting pipeline on the active interval until the watch ends", () => {
    expect(watched({})).toBe(1_005_000);
    expect(watched({ outcome: "waiting" })).toBe(1_005_000);
    // Past the watch: the idle backoff's ceiling again (±10% jitter).
    expect(watched({ now: 1_120_000 })).toBeGreaterThan(1_120_000 + 1_000_000);
    expect(watched({ pushWatchUntil: null })).toBeGreaterThan(1_000_000 + 1_000_000);
  });

  it("costs nothing while events flow, and never delays a sooner check", () => {
    expect(watched({ eventsFlowing: true })).toBeGreaterThan(1_000_000 + 1_000_000);
    expect(watched({ outcome: "backfill" })).toBe(1_000_000);
    expect(watched({ outcome: "error", consecutiveFailures: 1 })).toBe(1_005_000);
  });
});

describe("polls planned from past action durations", () => {
  it("knows nothing can finish before the shortest past run of every running action", () => {
    const shortest = shortestDurations([
      ...[60_000, 50_000, 90_000, 70_000, 80_000].map((durationMs) => ({ key: "Build/Build", durationMs })),
      ...[10_000, 12_000].map((durationMs) => ({ key: "Test/Unit", durationMs })),
    ]);
    // The shortest run seen, lowered by the typical gap between runs: 50 s - (90 s - 50 s) / 4.
    expect(shortest.get("Build/Build")).toBe(40_000);
    // Too few runs to judge.
    expect(shortest.has("Test/Unit")).toBe(false);
    expect(earliestFinish([{ key: "Build/Build", startedAt: 1_000 }], shortest)).toBe(41_000);
    expect(
      earliestFinish(
        [
          { key: "Build/Build", startedAt: 1_000 },
          { key: "Test/Unit", startedAt: 0 },
        ],
        shortest,
      ),
    ).toBeNull();
  });

  it("defers an active pipeline's poll to that moment, at most a jittered part of one interval early, never past it", () => {
    const at = (random: number) =>
      nextSyncAt(input({ outcome: "active", idleChecks: 0, earliestChangeAt: 1_060_000, random }));
    expect(at(0)).toBe(1_060_000);
    // Jitter 10% of the 5 s active interval: up to half a second early, however long the deferral.
    expect(at(0.999)).toBeLessThan(1_060_000);
    expect(at(0.999)).toBeGreaterThanOrEqual(1_059_500);
    // Never more than 24 active intervals ahead: fast settings keep deferrals short.
    const fast = { ...settings, activeIntervalMs: 1_000 };
    expect(
      nextSyncAt(
        input({ outcome: "active", idleChecks: 0, earliestChangeAt: 1_100_000, random: 0.999, settings: fast }),
      ),
    ).toBeLessThanOrEqual(1_024_000);
    // With events flowing, events announce the change: the plain (relaxed) active interval applies.
    expect(
      nextSyncAt(input({ outcome: "active", eventsFlowing: true, earliestChangeAt: 9_000_000, random: 0.5 })),
    ).toBe(1_000_000 + settings.activeWithEventsIntervalMs);
  });
});
