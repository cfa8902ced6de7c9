import { describe, expect, it } from "vitest";
import { deploymentsPerDay, doraFigures, type Deployment } from "./dora";

const t = (h: number) => new Date(Date.UTC(2026, 10, 1) + h * 3_600_000);
const dep = (id: string, h: number, outcome: "success" | "failure", extra: Partial<Deployment> = {}): Deployment => ({
  pipelineId: "p",
  executionId: id,
  stageName: "Prod",
  outcome,
  at: t(h),
  startedAt: t(h - 1),
  rollback: false,
  rollbackTargetId: null,
  approvalWaitMs: 0,
  commitTimes: [t(h - 3)],
  ...extra,
});
const period = { from: t(0), to: t(24 * 7) };

describe("DORA figures", () => {
  const history = [
    dep("a", 1, "success"),
    dep("b", 10, "failure"),
    dep("c", 12, "success"), // recovers b after 2 h
    dep("d", 30, "success"), // rolled back by e
    dep("e", 31, "success", { rollback: true, rollbackTargetId: "c" }),
    dep("f", 60, "success"),
  ];
  const f = doraFigures(history, period);

  it("counts successful production deployments and the days they happened on", () => {
    expect(f.deployments).toBe(5);
    expect(f.deploymentDays).toBe(3);
    expect(
      deploymentsPerDay(history, period)
        .slice(0, 3)
        .map((d) => d.n),
    ).toEqual([2, 2, 1]);
  });

  it("counts stage failures and rolled-back deployments as change failures, rollbacks out of the denominator", () => {
    // b failed; d was rolled back. Attempts 6, minus 1 rollback.
    expect(f.changeFailRate).toEqual({ failures: 2, denominator: 5, rate: 2 / 5 });
    expect(f.prodStageFailures).toBe(1);
  });

  it("measures recovery to the next successful deployment of that stage", () => {
    // b → c: 2 h; d → e (the rollback): 1 h.
    expect(f.recovery.n).toBe(2);
    expect(f.recovery.p50).toBe(3_600_000);
    expect(f.recovery.p90).toBe(2 * 3_600_000);
    expect(f.recovery.open).toBe(0);
  });

  it("takes lead time per commit, leaving out the first deployment, and counts rework", () => {
    expect(f.leadTime.n).toBe(4);
    expect(f.leadTime.p50).toBe(3 * 3_600_000);
    expect(f.leadTime.deploymentsWithout).toBe(1);
    // c follows a failure, e is a rollback.
    expect(f.reworkRate).toEqual({ rework: 2, deployments: 5, rate: 2 / 5 });
  });

  it("reports a failure not yet recovered at the period's end as open", () => {
    const open = doraFigures([dep("a", 1, "success"), dep("b", 5, "failure")], period);
    expect(open.recovery).toMatchObject({ n: 0, open: 1 });
  });
});
