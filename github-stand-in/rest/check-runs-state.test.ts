import { describe, expect, it } from "vitest";
import type { CheckRunRecord } from "../world/records";
import { STALE_AFTER_MS, applyUpdate, latestRuns, newRun, settleStale, suiteState } from "./check-runs-state";

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const at = {
  repository: "acme/web-app",
  sha: "a".repeat(40),
  appId: 7,
  suiteId: 1,
  now: "2026-12-01T10:00:00Z",
  nowMs: T0,
};
let nextId = 1;
const run = (fields: Partial<CheckRunRecord> = {}): CheckRunRecord => ({
  ...newRun({ name: "build" }, at),
  id: nextId++,
  ...fields,
});

describe("newRun", () => {
  it("starts queued, started now, without conclusion; a conclusion completes it at once", () => {
    expect(newRun({ name: "build" }, at)).toMatchObject({
      status: "queued",
      conclusion: null,
      startedAt: at.now,
      completedAt: null,
      externalId: null,
      output: { title: null, summary: null, text: null, annotations: [] },
    });
    // "Providing conclusion will automatically set the status parameter to completed."
    expect(newRun({ name: "build", status: "in_progress", conclusion: "success" }, at)).toMatchObject({
      status: "completed",
      conclusion: "success",
      completedAt: at.now,
    });
  });
});

describe("applyUpdate", () => {
  it("completes with a conclusion, appends annotations, keeps an absent title and removes buttons with []", () => {
    const annotation = {
      path: "a.ts",
      startLine: 1,
      endLine: 2,
      startColumn: null,
      endColumn: null,
      level: "warning" as const,
      message: "m",
      title: null,
      rawDetails: null,
    };
    const target = run({
      output: { title: "Deploying", summary: "one", text: null, annotations: [annotation] },
      actions: [{ label: "Stop", description: "Stop it", identifier: "stop" }],
    });
    applyUpdate(
      target,
      {
        conclusion: "failure",
        output: { title: undefined, summary: "two", text: undefined, annotations: [annotation] },
        actions: [],
      },
      "2026-12-01T10:05:00Z",
    );
    expect(target).toMatchObject({
      status: "completed",
      conclusion: "failure",
      completedAt: "2026-12-01T10:05:00Z",
      output: { title: "Deploying", summary: "two" },
      actions: [],
    });
    expect(target.output.annotations).toHaveLength(2);
  });

  it("reopens a completed run when given queued or in_progress", () => {
    const target = run({ status: "completed", conclusion: "success", completedAt: at.now });
    applyUpdate(target, { status: "in_progress" }, at.now);
    expect(target).toMatchObject({ status: "in_progress", conclusion: null, completedAt: null });
  });
});

describe("settleStale", () => {
  it("turns a run left incomplete for more than 14 days stale, and leaves completed runs alone", () => {
    const open = run({ status: "in_progress" });
    expect(settleStale(open, T0 + STALE_AFTER_MS)).toBe(false);
    expect(settleStale(open, T0 + STALE_AFTER_MS + 1)).toBe(true);
    expect(open).toMatchObject({ status: "completed", conclusion: "stale", completedAt: "2026-12-15T10:00:00Z" });
    const done = run({ status: "completed", conclusion: "success" });
    expect(settleStale(done, T0 + 10 * STALE_AFTER_MS)).toBe(false);
    expect(done.conclusion).toBe("success");
  });
});

describe("latestRuns", () => {
  it("keeps the newest run of each name per suite", () => {
    const first = run({ name: "deploy" });
    const second = run({ name: "deploy" });
    const otherSuite = run({ name: "deploy", suiteId: 2 });
    const test = run({ name: "test" });
    expect(
      latestRuns([second, first, test, otherSuite])
        .map((r) => r.id)
        .sort(),
    ).toEqual([second.id, test.id, otherSuite.id].sort());
  });
});

describe("suiteState", () => {
  const completed = (conclusion: CheckRunRecord["conclusion"]) => run({ status: "completed", conclusion });
  it("is queued without runs, in progress until every run completes", () => {
    expect(suiteState([])).toEqual({ status: "queued", conclusion: null });
    expect(suiteState([run()])).toEqual({ status: "queued", conclusion: null });
    expect(suiteState([completed("success"), run()])).toEqual({ status: "in_progress", conclusion: null });
  });

  it("concludes with the highest-priority conclusion: timed_out over success and neutral, as GitHub's example", () => {
    expect(suiteState([completed("success"), completed("timed_out"), completed("neutral")])).toEqual({
      status: "completed",
      conclusion: "timed_out",
    });
    expect(suiteState([completed("success"), completed("skipped")]).conclusion).toBe("success");
    expect(suiteState([completed("failure"), completed("action_required")]).conclusion).toBe("action_required");
  });
});
