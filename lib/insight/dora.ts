import { exactQuantileMs } from "./buckets";

// DORA's five metrics from production deployments (pure). Stageboard sees deployments, not incidents: a change
// failure is a production deployment that failed in its production stage or was rolled back, its recovery the next
// successful deployment of that pipeline and stage. Definitions: dora.dev/guides/dora-metrics (2024 model).

export type Deployment = {
  pipelineId: string;
  executionId: string;
  stageName: string;
  outcome: "success" | "failure";
  at: Date;
  startedAt: Date;
  rollback: boolean;
  rollbackTargetId: string | null;
  approvalWaitMs: number;
  /** Committer times of the commits it brought, when read from GitHub. */
  commitTimes: Date[] | null;
};

export type Period = { from: Date; to: Date };
export type Spread = { n: number; p50: number | null; p90: number | null };
export type DoraFigures = {
  deployments: number;
  deploymentDays: number;
  perDay: number;
  leadTime: Spread & { deploymentsWithout: number; droppedNonPositive: number };
  pipelineTime: Spread;
  approvalWait: Spread;
  changeFailRate: { failures: number; denominator: number; rate: number | null };
  recovery: Spread & { open: number };
  reworkRate: { rework: number; deployments: number; rate: number | null };
  prodStageFailures: number;
};

const within = (at: Date, p: Period) => at >= p.from && at < p.to;
const spread = (values: number[]): Spread => ({
  n: values.length,
  p50: exactQuantileMs(values, 0.5),
  p90: exactQuantileMs(values, 0.9),
});
const seriesKey = (d: Deployment) => `${d.pipelineId}\u0000${d.stageName}`;

/** Per pipeline and stage, oldest first. */
function series(all: readonly Deployment[]): Deployment[][] {
  const by = new Map<string, Deployment[]>();
  for (const d of all) by.set(seriesKey(d), [...(by.get(seriesKey(d)) ?? []), d]);
  for (const list of by.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  return [...by.values()];
}

/**
 * Successful deployments a rollback undid: those of its pipeline and stage after the deployment it went back to
 * and before the rollback itself.
 */
export function rolledBack(list: readonly Deployment[]): Set<Deployment> {
  const out = new Set<Deployment>();
  for (const r of list) {
    if (!r.rollback || r.outcome !== "success") continue;
    const target = list.find((d) => d.executionId === r.rollbackTargetId);
    for (const d of list)
      if (d !== r && d.outcome === "success" && !d.rollback && d.at < r.at && (!target || d.at > target.at)) out.add(d);
  }
  return out;
}

/**
 * The figures for a period. `all` may hold deployments before the period (they only serve as the ones before).
 */
export function doraFigures(all: readonly Deployment[], period: Period): DoraFigures {
  const lead: number[] = [];
  const pipelineTime: number[] = [];
  const approval: number[] = [];
  const recovery: number[] = [];
  let deployments = 0;
  let failures = 0;
  let rollbacks = 0;
  let attempts = 0;
  let open = 0;
  let rework = 0;
  let prodStageFailures = 0;
  let without = 0;
  let dropped = 0;
  const days = new Set<string>();
  for (const list of series(all)) {
    const undone = rolledBack(list);
    for (const [i, d] of list.entries()) {
      if (!within(d.at, period)) continue;
      attempts += 1;
      if (d.outcome === "failure") prodStageFailures += 1;
      const failed = d.outcome === "failure" || undone.has(d);
      if (failed) {
        failures += 1;
        const next = list.slice(i + 1).find((n) => n.outcome === "success" && !undone.has(n));
        if (next && next.at < period.to) recovery.push(next.at.getTime() - d.at.getTime());
        else open += 1;
      }
      if (d.outcome !== "success") continue;
      deployments += 1;
      days.add(d.at.toISOString().slice(0, 10));
      if (d.rollback) rollbacks += 1;
      const previous = list
        .slice(0, i)
        .reverse()
        .find((p) => p.outcome === "success");
      const previousFailed = list.slice(0, i).reverse()[0];
      if (d.rollback || (previousFailed && (previousFailed.outcome === "failure" || undone.has(previousFailed))))
        rework += 1;
      pipelineTime.push(d.at.getTime() - d.startedAt.getTime());
      approval.push(d.approvalWaitMs);
      // The first deployment of a pipeline's stage has no earlier one to measure its changes from.
      if (!previous || d.commitTimes === null || d.commitTimes.length === 0) {
        without += 1;
        continue;
      }
      for (const c of d.commitTimes) {
        const ms = d.at.getTime() - c.getTime();
        if (ms > 0) lead.push(ms);
        else dropped += 1;
      }
    }
  }
  const spanDays = Math.max(1, (period.to.getTime() - period.from.getTime()) / 86_400_000);
  const denominator = attempts - rollbacks;
  return {
    deployments,
    deploymentDays: days.size,
    perDay: deployments / spanDays,
    leadTime: { ...spread(lead), deploymentsWithout: without, droppedNonPositive: dropped },
    pipelineTime: spread(pipelineTime),
    approvalWait: spread(approval),
    changeFailRate: { failures, denominator, rate: denominator > 0 ? failures / denominator : null },
    recovery: { ...spread(recovery), open },
    reworkRate: { rework, deployments, rate: deployments > 0 ? rework / deployments : null },
    prodStageFailures,
  };
}

/** Successful deployments per UTC day of the period, zeros filled. */
export function deploymentsPerDay(all: readonly Deployment[], period: Period): { day: string; n: number }[] {
  const out = new Map<string, number>();
  for (let t = period.from.getTime(); t < period.to.getTime(); t += 86_400_000)
    out.set(new Date(t).toISOString().slice(0, 10), 0);
  for (const d of all) {
    if (d.outcome !== "success" || !within(d.at, period)) continue;
    const day = d.at.toISOString().slice(0, 10);
    out.set(day, (out.get(day) ?? 0) + 1);
  }
  return [...out].map(([day, n]) => ({ day, n }));
}
