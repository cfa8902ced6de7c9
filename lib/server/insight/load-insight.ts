import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { quantileMs } from "@/lib/insight/buckets";
import { deploymentsPerDay, doraFigures, type Deployment, type DoraFigures, type Period } from "@/lib/insight/dora";
import { previousPeriod } from "@/lib/insight/period";
import type { Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import { scopeSql, type InsightScope } from "./scope";

// Everything an insight page shows, read from the rollups only (never from executions): the DORA figures of the
// period and the one before, deployments per day, the duration trend, and per stage and action (a pipeline) or per
// pipeline (a repository, everything) run counts, success rate, p50/p90, flaky actions, approval waits, held time.

export type Row = {
  /** Pipeline name (repository and all views) or "stage" / "stage / action" (a pipeline). */
  label: string;
  pipelineId: string;
  stageName: string;
  actionName: string;
  succeeded: number;
  failed: number;
  successRate: number | null;
  p50: number | null;
  p90: number | null;
  previousP50: number | null;
  previousP90: number | null;
  flaky: number;
  flakyLostMs: number;
  approvals: number;
  approvalP50: number | null;
  approvalP90: number | null;
  heldMs: number;
};

export type Insight = {
  period: Period;
  previous: Period;
  dora: DoraFigures;
  previousDora: DoraFigures;
  perDay: { day: string; n: number }[];
  trend: { day: string; n: number; p50: number | null; p90: number | null }[];
  rows: Row[];
  pipelines: number;
};

type DeploymentRow = Omit<Deployment, "approvalWaitMs" | "commitTimes" | "outcome"> & {
  outcome: string;
  approvalWaitMs: bigint;
  commitTimes: string[] | null;
};

const DAY = 86_400_000;

export async function loadInsight(db: Db, viewer: Viewer, scope: InsightScope, period: Period): Promise<Insight> {
  const previous = previousPeriod(period);
  const where = scopeSql(viewer, scope);
  const perPipeline = scope.kind !== "pipeline";
  // Deployments before the previous period serve as "the one before" for lead time, rollbacks and recovery.
  const since = new Date(previous.from.getTime() - 30 * DAY);
  const [deployments, daily, hist, trend, count] = await Promise.all([
    db.$queryRaw<DeploymentRow[]>`
      SELECT d."pipelineId", d."executionId", d."stageName", d.outcome, d.at, d."startedAt", d.rollback,
             d."rollbackTargetId", d."approvalWaitMs",
             CASE WHEN d."commitsSource" IN ('compare', 'head') THEN
               (SELECT array_agg(c."committedAt"::text) FROM "InsightDeploymentCommit" c
                 WHERE c."pipelineId" = d."pipelineId" AND c."executionId" = d."executionId"
                   AND c."stageName" = d."stageName") END AS "commitTimes"
        FROM "InsightDeployment" d JOIN "Pipeline" p ON p.id = d."pipelineId"
        LEFT JOIN "Repository" r ON r.id = p."repositoryId"
       WHERE ${where} AND d.at >= ${since} AND d.at < ${period.to}`,
    db.$queryRaw<
      {
        pipelineId: string;
        name: string;
        stageName: string;
        actionName: string;
        kind: string;
        outcome: string;
        current: boolean;
        n: number;
        sumMs: number;
      }[]
    >`
      SELECT d."pipelineId", p.name, d."stageName", d."actionName", d.kind, d.outcome, d.day >= ${period.from}::date AS current,
             sum(d.n)::int AS n, sum(d."sumMs")::float8 AS "sumMs"
        FROM "InsightDaily" d JOIN "Pipeline" p ON p.id = d."pipelineId"
        LEFT JOIN "Repository" r ON r.id = p."repositoryId"
       WHERE ${where} AND d.day >= ${previous.from}::date AND d.day < ${period.to}::date
         ${perPipeline ? Prisma.sql`AND d."stageName" = ''` : Prisma.empty}
       GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    db.$queryRaw<
      {
        pipelineId: string;
        stageName: string;
        actionName: string;
        outcome: string;
        current: boolean;
        bucket: number;
        n: number;
      }[]
    >`
      SELECT h."pipelineId", h."stageName", h."actionName", h.outcome, h.day >= ${period.from}::date AS current,
             h.bucket, sum(h.n)::int AS n
        FROM "InsightHistogram" h JOIN "Pipeline" p ON p.id = h."pipelineId"
        LEFT JOIN "Repository" r ON r.id = p."repositoryId"
       WHERE ${where} AND h.day >= ${previous.from}::date AND h.day < ${period.to}::date
         AND h.outcome IN ('Succeeded', 'Approval')
         ${perPipeline ? Prisma.sql`AND h."stageName" = ''` : Prisma.empty}
       GROUP BY 1, 2, 3, 4, 5, 6`,
    db.$queryRaw<{ day: string; bucket: number; n: number }[]>`
      SELECT h.day::text AS day, h.bucket, sum(h.n)::int AS n
        FROM "InsightHistogram" h JOIN "Pipeline" p ON p.id = h."pipelineId"
        LEFT JOIN "Repository" r ON r.id = p."repositoryId"
       WHERE ${where} AND h.day >= ${period.from}::date AND h.day < ${period.to}::date
         AND h."stageName" = '' AND h.outcome = 'Succeeded'
       GROUP BY 1, 2`,
    db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId" WHERE ${where}`,
  ]);
  const all: Deployment[] = deployments.map((d) => ({
    ...d,
    outcome: d.outcome === "success" ? "success" : "failure",
    approvalWaitMs: Number(d.approvalWaitMs),
    commitTimes: d.commitTimes
      ? d.commitTimes.map((t) => new Date(t.replace(" ", "T") + (t.endsWith("Z") ? "" : "Z")))
      : null,
  }));
  return {
    period,
    previous,
    dora: doraFigures(all, period),
    previousDora: doraFigures(all, previous),
    perDay: deploymentsPerDay(all, period),
    trend: trendOf(trend, period),
    rows: rowsOf(daily, hist, perPipeline),
    pipelines: count[0]?.n ?? 0,
  };
}

function trendOf(rows: { day: string; bucket: number; n: number }[], period: Period) {
  const byDay = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const h = byDay.get(r.day) ?? new Map<number, number>();
    h.set(r.bucket, (h.get(r.bucket) ?? 0) + r.n);
    byDay.set(r.day, h);
  }
  const out = [];
  for (let t = period.from.getTime(); t < period.to.getTime(); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    const h = byDay.get(day) ?? new Map<number, number>();
    let n = 0;
    for (const c of h.values()) n += c;
    out.push({ day, n, p50: quantileMs(h, 0.5), p90: quantileMs(h, 0.9) });
  }
  return out;
}

function rowsOf(
  daily: {
    pipelineId: string;
    name: string;
    stageName: string;
    actionName: string;
    kind: string;
    outcome: string;
    current: boolean;
    n: number;
    sumMs: number;
  }[],
  hist: {
    pipelineId: string;
    stageName: string;
    actionName: string;
    outcome: string;
    current: boolean;
    bucket: number;
    n: number;
  }[],
  perPipeline: boolean,
): Row[] {
  const rows = new Map<string, Row>();
  const key = (r: { pipelineId: string; stageName: string; actionName: string }) =>
    `${r.pipelineId}\u0000${r.stageName}\u0000${r.actionName}`;
  for (const d of daily) {
    let row = rows.get(key(d));
    if (!row) {
      const label = perPipeline
        ? d.name
        : d.actionName
          ? `${d.stageName} / ${d.actionName}`
          : d.stageName || "Whole execution";
      row = {
        label,
        pipelineId: d.pipelineId,
        stageName: d.stageName,
        actionName: d.actionName,
        succeeded: 0,
        failed: 0,
        successRate: null,
        p50: null,
        p90: null,
        previousP50: null,
        previousP90: null,
        flaky: 0,
        flakyLostMs: 0,
        approvals: 0,
        approvalP50: null,
        approvalP90: null,
        heldMs: 0,
      };
      rows.set(key(d), row);
    }
    if (!d.current) continue;
    if (d.kind === "run" && d.outcome === "Succeeded") row.succeeded += d.n;
    if (d.kind === "run" && d.outcome === "Failed") row.failed += d.n;
    if (d.kind === "flaky") {
      row.flaky += d.n;
      row.flakyLostMs += d.sumMs;
    }
    if (d.kind === "approval") row.approvals += d.n;
    if (d.kind === "held") row.heldMs += d.sumMs;
  }
  const histograms = new Map<string, Map<number, number>>();
  for (const h of hist) {
    const k = `${key(h)}\u0000${h.outcome}\u0000${h.current}`;
    const m = histograms.get(k) ?? new Map<number, number>();
    m.set(h.bucket, (m.get(h.bucket) ?? 0) + h.n);
    histograms.set(k, m);
  }
  for (const [k, row] of rows) {
    const h = (outcome: string, current: boolean) =>
      histograms.get(`${k}\u0000${outcome}\u0000${current}`) ?? new Map();
    row.successRate = row.succeeded + row.failed > 0 ? row.succeeded / (row.succeeded + row.failed) : null;
    row.p50 = quantileMs(h("Succeeded", true), 0.5);
    row.p90 = quantileMs(h("Succeeded", true), 0.9);
    row.previousP50 = quantileMs(h("Succeeded", false), 0.5);
    row.previousP90 = quantileMs(h("Succeeded", false), 0.9);
    row.approvalP50 = quantileMs(h("Approval", true), 0.5);
    row.approvalP90 = quantileMs(h("Approval", true), 0.9);
  }
  return [...rows.values()]
    .filter((r) => r.succeeded + r.failed + r.approvals + r.flaky + r.heldMs > 0 || r.previousP50 !== null)
    .sort((a, b) => a.label.localeCompare(b.label));
}
