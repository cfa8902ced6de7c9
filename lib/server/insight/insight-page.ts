import "server-only";
import { toCsv } from "@/lib/insight/csv";
import { choosePeriod, isoDay, type PeriodChoice } from "@/lib/insight/period";
import { db } from "@/lib/server/db/client";
import { canSeeRepository, findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import { loadInsight, type Insight } from "./load-insight";
import type { InsightScope } from "./scope";

// What the three insight pages and their CSV export share: the scope checked against the viewer (a pipeline or
// repository they cannot see looks like one that does not exist), the period from the query, and the figures.

export type InsightPage = { title: string; choice: PeriodChoice; insight: Insight; perPipeline: boolean };

export async function insightPage(
  viewer: Viewer,
  scope: InsightScope,
  query: { period?: string; from?: string; to?: string },
): Promise<InsightPage | null> {
  let title = "Insight: everything you can see";
  if (scope.kind === "pipeline") {
    const pipeline = await findVisiblePipeline(db, viewer, scope.id);
    if (!pipeline) return null;
    title = `Insight: ${pipeline.name}`;
  } else if (scope.kind === "repository") {
    if (!canSeeRepository(viewer, scope.fullName)) return null;
    title = `Insight: ${scope.fullName}`;
  }
  const choice = choosePeriod(query, new Date());
  const insight = await loadInsight(db, viewer, scope, choice);
  return { title, choice, insight, perPipeline: scope.kind !== "pipeline" };
}

export function exportQuery(choice: PeriodChoice): string {
  const params = new URLSearchParams({
    period: choice.key,
    from: isoDay(choice.from),
    to: isoDay(new Date(choice.to.getTime() - 1)),
  });
  return params.toString();
}

export function insightCsv(page: InsightPage): string {
  const d = page.insight.dora;
  const figures: (string | number | null)[][] = [
    ["figure", "deployments", d.deployments, "", "", ""],
    ["figure", "change lead time p50 ms", d.leadTime.p50, "", "", ""],
    ["figure", "change fail rate", d.changeFailRate.rate, "", "", ""],
    ["figure", "failed deployment recovery time p50 ms", d.recovery.p50, "", "", ""],
    ["figure", "deployment rework rate", d.reworkRate.rate, "", "", ""],
  ];
  const rows = page.insight.rows.map((r) => [
    "row",
    r.label,
    r.succeeded + r.failed,
    r.successRate,
    r.p50 === null ? null : Math.round(r.p50),
    r.p90 === null ? null : Math.round(r.p90),
  ]);
  const days = page.insight.perDay.map((p) => ["deployments per day", p.day, p.n, "", "", ""]);
  return toCsv(["kind", "name", "value or runs", "success rate", "p50 ms", "p90 ms"], [...figures, ...rows, ...days]);
}
