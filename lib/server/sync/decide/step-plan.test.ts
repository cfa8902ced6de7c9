import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../config/settings";
import { afterFailure, afterStep, NEVER, planAfterState, planStep, type StepFacts } from "./step-plan";

const synced: NonNullable<StepFacts["pipeline"]> = {
  deleted: false,
  version: 3,
  definitionVersion: 3,
  backfillDone: true,
  actionBackfillDone: true,
  ruleBackfillDone: true,
  executionMode: "QUEUED",
  hasState: true,
};
const facts = (over: Partial<StepFacts> = {}, pipeline: Partial<StepFacts["pipeline"] & object> = {}): StepFacts => ({
  pipeline: { ...synced, ...pipeline },
  requested: false,
  hints: { executionIds: [], pipelineEvent: false },
  liveShareSpent: false,
  definitionFetched: false,
  ...over,
});

describe("planStep: what one step calls first", () => {
  it("rule: a pipeline without a sync row, or deleted, is skipped", () => {
    expect(planStep({ ...facts(), pipeline: null })).toEqual({ kind: "skip", reason: "not-synced" });
    expect(planStep(facts({}, { deleted: true }))).toEqual({ kind: "skip", reason: "deleted" });
  });

  it("rule: the definition is fetched when none is stored or its version changed, at most once per step", () => {
    expect(planStep(facts({}, { definitionVersion: null }))).toMatchObject({ kind: "get-definition" });
    expect(planStep(facts({}, { definitionVersion: 2 }))).toEqual({
      kind: "get-definition",
      reason: "version-changed",
    });
    expect(planStep(facts({ definitionFetched: true }, { definitionVersion: null }))).toMatchObject({
      kind: "check-state",
    });
  });

  it("rule: the backfill runs executions, then actions, then rules, before any live check", () => {
    expect(planStep(facts({}, { backfillDone: false, actionBackfillDone: false }))).toEqual({
      kind: "backfill",
      pass: "executions",
    });
    expect(planStep(facts({}, { actionBackfillDone: false }))).toEqual({ kind: "backfill", pass: "actions" });
    expect(planStep(facts({ liveShareSpent: true }, { ruleBackfillDone: false }))).toEqual({
      kind: "backfill",
      pass: "rules",
    });
  });

  it("rule: while the target backfills, a live check waits once the live share is spent", () => {
    expect(planStep(facts({ liveShareSpent: true, requested: true }))).toEqual({
      kind: "defer",
      reason: "target-backfilling",
    });
  });

  it("rule: events naming executions list their action executions instead of reading the state", () => {
    const hints = { executionIds: ["e1"], pipelineEvent: false };
    expect(planStep(facts({ requested: true, hints }))).toEqual({
      kind: "list-actions-of",
      executionIds: ["e1"],
      reason: "execution-events",
    });
    // Not for PARALLEL pipelines, pipeline-level events, or a pipeline with no stored state to patch.
    expect(planStep(facts({ requested: true, hints }, { executionMode: "PARALLEL" }))).toMatchObject({
      kind: "check-state",
    });
    expect(planStep(facts({ requested: true, hints: { ...hints, pipelineEvent: true } }))).toMatchObject({
      kind: "check-state",
    });
    expect(planStep(facts({ requested: true, hints }, { hasState: false }))).toMatchObject({ kind: "check-state" });
  });

  it("rule: otherwise a step reads the state with one GetPipelineState", () => {
    expect(planStep(facts())).toEqual({ kind: "check-state", reason: "due" });
    expect(planStep(facts({ requested: true }))).toEqual({ kind: "check-state", reason: "requested" });
  });
});

describe("planAfterState: whether the state is enough", () => {
  const base = {
    moved: false,
    requested: false,
    executionMode: "QUEUED",
    openIds: [] as string[],
    shownIds: [] as string[],
    onlyWaiting: true,
  };

  it("rule: a state that moved, or a requested sync, is followed by a refresh", () => {
    expect(planAfterState({ ...base, moved: true })).toEqual({ kind: "refresh", reason: "state-moved" });
    expect(planAfterState({ ...base, requested: true })).toEqual({ kind: "refresh", reason: "requested" });
  });

  it("rule: an unchanged state settles without another call: idle, waiting for people, or active", () => {
    expect(planAfterState(base)).toEqual({ kind: "settle", outcome: "idle" });
    expect(planAfterState({ ...base, openIds: ["e1"], shownIds: ["e1"] })).toEqual({
      kind: "settle",
      outcome: "waiting",
    });
    expect(planAfterState({ ...base, openIds: ["e1"], shownIds: ["e1"], onlyWaiting: false })).toEqual({
      kind: "settle",
      outcome: "active",
    });
  });

  it("rule: in PARALLEL mode an open execution the state no longer shows forces a refresh", () => {
    const overtaken = { ...base, executionMode: "PARALLEL", openIds: ["old", "new"], shownIds: ["new"] };
    expect(planAfterState(overtaken)).toEqual({ kind: "refresh", reason: "parallel-overtaken" });
    expect(planAfterState({ ...overtaken, executionMode: "QUEUED" })).toMatchObject({ kind: "settle" });
  });
});

describe("afterStep: when to look again", () => {
  const input = { now: 1_000_000, idleChecks: 2, eventsFlowing: false, random: 0.5, settings: DEFAULT_SETTINGS };

  it("rule: checks that find nothing new count up and stretch the idle interval; a change starts it over", () => {
    const quiet = afterStep({ outcome: "idle", changed: false, stateHash: "h", quietSince: null }, input);
    const moved = afterStep({ outcome: "idle", changed: true, stateHash: "h", quietSince: null }, input);
    expect(quiet).toMatchObject({ idleChecks: 3, stateHash: "h", activity: false });
    expect(moved).toMatchObject({ idleChecks: 0, activity: true });
    expect(quiet.nextSyncAt - input.now).toBeGreaterThan(moved.nextSyncAt - input.now);
  });

  it("rule: a backfilling pipeline is due again at once, a deferred one after a while", () => {
    expect(afterStep({ outcome: "backfill" }, input)).toMatchObject({ nextSyncAt: input.now, activity: true });
    expect(afterStep({ outcome: "deferred" }, input).nextSyncAt).toBeGreaterThan(input.now);
  });

  it("rule: a deleted pipeline is never due again", () => {
    expect(afterStep({ outcome: "deleted" }, input).nextSyncAt).toBe(NEVER);
  });

  it("rule: a failing step backs off exponentially, capped at the first idle interval", () => {
    const at = (consecutiveFailures: number) =>
      afterFailure({ ...input, consecutiveFailures, settings: { ...DEFAULT_SETTINGS, jitter: 0 } }) - input.now;
    expect(at(2)).toBe(2 * at(1));
    expect(at(30)).toBe(DEFAULT_SETTINGS.idleIntervalMs);
  });
});
