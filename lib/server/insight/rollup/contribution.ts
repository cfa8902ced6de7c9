import { bucketOf } from "@/lib/insight/buckets";

// What one finished execution adds to the daily rollups (pure): a row per execution, stage and action attempt, by
// outcome and UTC day, with duration histograms; flaky actions; approval waits; and its production deployments.
// An execution that is not finished adds nothing (one retried after it finished takes its contribution back).

export const FINAL_EXECUTION = new Set(["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"]);
const FINAL_STEP = new Set(["Succeeded", "Failed", "Stopped", "Abandoned", "Cancelled", "Skipped"]);
/** Only these outcomes get duration histograms: a trend mixes neither early aborts nor runs that never ran. */
const TIMED = new Set(["Succeeded", "Failed"]);

export type StageFact = { name: string; status: string; startTime: Date | null; endTime: Date | null };
export type ActionFact = {
  stageName: string;
  actionName: string;
  status: string;
  category: string | null;
  startTime: Date | null;
  lastUpdateTime: Date | null;
};
export type ExecutionFacts = {
  pipelineId: string;
  executionId: string;
  status: string;
  startTime: Date;
  lastUpdateTime: Date;
  executionType: string | null;
  rollbackTargetExecutionId: string | null;
  commitSha: string | null;
  stages: StageFact[];
  actions: ActionFact[];
};

/** [day, stage, action, kind, outcome, n, sumMs] */
export type DailyRow = [string, string, string, string, string, number, number];
/** [day, stage, action, outcome, bucket, n] */
export type HistogramRow = [string, string, string, string, number, number];
export type Contribution = { d: DailyRow[]; h: HistogramRow[] };

export type DeploymentFact = {
  stageName: string;
  outcome: "success" | "failure";
  at: Date;
  startedAt: Date;
  sha: string | null;
  rollback: boolean;
  rollbackTargetId: string | null;
  approvalWaitMs: number;
};

export const EMPTY: Contribution = { d: [], h: [] };

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const span = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, to.getTime() - from.getTime()) : null);
const isApproval = (a: ActionFact) => a.category === "Approval";

export function isFinished(status: string): boolean {
  return FINAL_EXECUTION.has(status);
}

class Builder {
  private daily = new Map<string, DailyRow>();
  private hist = new Map<string, HistogramRow>();

  add(day: string, stage: string, action: string, kind: string, outcome: string, ms: number) {
    const key = [day, stage, action, kind, outcome].join("\u0000");
    const row = this.daily.get(key);
    if (row) {
      row[5] += 1;
      row[6] += Math.round(ms);
    } else this.daily.set(key, [day, stage, action, kind, outcome, 1, Math.round(ms)]);
  }

  histogram(day: string, stage: string, action: string, outcome: string, ms: number) {
    const bucket = bucketOf(ms);
    const key = [day, stage, action, outcome, bucket].join("\u0000");
    const row = this.hist.get(key);
    if (row) row[5] += 1;
    else this.hist.set(key, [day, stage, action, outcome, bucket, 1]);
  }

  done(): Contribution {
    const order = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
      a.join("\u0000") < b.join("\u0000") ? -1 : 1;
    return { d: [...this.daily.values()].sort(order), h: [...this.hist.values()].sort(order) };
  }
}

function run(b: Builder, stage: string, action: string, status: string, start: Date | null, end: Date | null) {
  const ms = span(start, end);
  if (ms === null || !end) return;
  const day = utcDay(end);
  b.add(day, stage, action, "run", status, ms);
  if (TIMED.has(status)) b.histogram(day, stage, action, status, ms);
}

/** A stage's own span: as AWS reports it, else from its action attempts. */
function stageSpan(stage: StageFact, actions: readonly ActionFact[]): { start: Date | null; end: Date | null } {
  if (stage.startTime && stage.endTime) return { start: stage.startTime, end: stage.endTime };
  const own = actions.filter((a) => a.stageName === stage.name);
  const starts = own.flatMap((a) => (a.startTime ? [a.startTime.getTime()] : []));
  const ends = own.flatMap((a) => (a.lastUpdateTime ? [a.lastUpdateTime.getTime()] : []));
  return {
    start: stage.startTime ?? (starts.length ? new Date(Math.min(...starts)) : null),
    end: stage.endTime ?? (ends.length ? new Date(Math.max(...ends)) : null),
  };
}

export function contributionOf(e: ExecutionFacts): Contribution {
  if (!isFinished(e.status)) return EMPTY;
  const b = new Builder();
  run(b, "", "", e.status, e.startTime, e.lastUpdateTime);
  for (const stage of e.stages) {
    if (!FINAL_STEP.has(stage.status)) continue;
    const { start, end } = stageSpan(stage, e.actions);
    run(b, stage.name, "", stage.status, start, end);
  }
  for (const a of e.actions) {
    if (!FINAL_STEP.has(a.status)) continue;
    if (isApproval(a)) {
      const ms = span(a.startTime, a.lastUpdateTime);
      if (ms === null || !a.lastUpdateTime) continue;
      const day = utcDay(a.lastUpdateTime);
      b.add(day, a.stageName, a.actionName, "approval", a.status, ms);
      b.histogram(day, a.stageName, a.actionName, "Approval", ms);
    } else run(b, a.stageName, a.actionName, a.status, a.startTime, a.lastUpdateTime);
  }
  for (const flake of flakesOf(e.actions))
    b.add(flake.day, flake.stageName, flake.actionName, "flaky", "", flake.lostMs);
  return b.done();
}

/**
 * Flaky actions of one execution: an action (not an approval) with a Failed attempt followed by a Succeeded one, which
 * inside one execution means a stage retry on the same source revision. Time lost: from the failed attempt's
 * start to the successful attempt's start (the failed run plus the wait for the retry).
 */
export function flakesOf(actions: readonly ActionFact[]) {
  const byAction = new Map<string, ActionFact[]>();
  for (const a of actions) {
    if (isApproval(a) || !a.startTime) continue;
    const key = `${a.stageName}\u0000${a.actionName}`;
    byAction.set(key, [...(byAction.get(key) ?? []), a]);
  }
  const out: { stageName: string; actionName: string; day: string; lostMs: number }[] = [];
  for (const attempts of byAction.values()) {
    attempts.sort((x, y) => x.startTime!.getTime() - y.startTime!.getTime());
    const firstFailure = attempts.find((a) => a.status === "Failed");
    if (!firstFailure) continue;
    const later = attempts.find((a) => a.status === "Succeeded" && a.startTime! > firstFailure.startTime!);
    if (!later) continue;
    out.push({
      stageName: later.stageName,
      actionName: later.actionName,
      day: utcDay(later.lastUpdateTime ?? later.startTime!),
      lostMs: later.startTime!.getTime() - firstFailure.startTime!.getTime(),
    });
  }
  return out;
}

/**
 * The execution's production deployments: each production stage it ran to Succeeded or Failed (one per stage, however
 * often it was retried: its final state counts). Approval waits are those that ended before the stage did.
 */
export function deploymentsOf(e: ExecutionFacts, production: (stageName: string) => boolean): DeploymentFact[] {
  if (!isFinished(e.status)) return [];
  const out: DeploymentFact[] = [];
  for (const stage of e.stages) {
    if (!production(stage.name) || (stage.status !== "Succeeded" && stage.status !== "Failed")) continue;
    const { end } = stageSpan(stage, e.actions);
    const at = end ?? e.lastUpdateTime;
    let approvalWaitMs = 0;
    for (const a of e.actions) {
      if (!isApproval(a) || !a.lastUpdateTime || a.lastUpdateTime > at) continue;
      approvalWaitMs += span(a.startTime, a.lastUpdateTime) ?? 0;
    }
    out.push({
      stageName: stage.name,
      outcome: stage.status === "Succeeded" ? "success" : "failure",
      at,
      startedAt: e.startTime,
      sha: e.commitSha,
      rollback: e.executionType === "ROLLBACK",
      rollbackTargetId: e.rollbackTargetExecutionId,
      approvalWaitMs,
    });
  }
  return out;
}

/** new − old, row by row (keys equal up to the count): what applying a changed contribution adds. */
export function deltaOf(olds: readonly Contribution[], news: readonly Contribution[]): Contribution {
  const d = new Map<string, DailyRow>();
  const h = new Map<string, HistogramRow>();
  const addD = (row: DailyRow, sign: number) => {
    const key = row.slice(0, 5).join("\u0000");
    const cur = d.get(key) ?? ([...row.slice(0, 5), 0, 0] as DailyRow);
    cur[5] += sign * row[5];
    cur[6] += sign * row[6];
    d.set(key, cur);
  };
  const addH = (row: HistogramRow, sign: number) => {
    const key = row.slice(0, 5).join("\u0000");
    const cur = h.get(key) ?? ([...row.slice(0, 5), 0] as HistogramRow);
    cur[5] += sign * row[5];
    h.set(key, cur);
  };
  for (const c of olds) {
    c.d.forEach((r) => addD(r, -1));
    c.h.forEach((r) => addH(r, -1));
  }
  for (const c of news) {
    c.d.forEach((r) => addD(r, 1));
    c.h.forEach((r) => addH(r, 1));
  }
  return {
    d: [...d.values()].filter((r) => r[5] !== 0 || r[6] !== 0),
    h: [...h.values()].filter((r) => r[5] !== 0),
  };
}

export function sameContribution(a: Contribution, b: Contribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
