// bench:ui's insight figures: the repository and everything-you-can-see insight pages over 90 days, as a browser
// gets them from the production server (sequential GETs with the admin's session), and the insight page's first-load
// JS from the last build. The rollups are built from the seeded history first when they are empty (a seed written
// straight into the tables bypasses the feed consumer's first run only if the app has not started on it yet).
//   insight_repository_p95_ms   GET /repositories/org1/repo-1/insights?period=90. Goal <= 100.
//   insight_all_p95_ms          GET /insights?period=90 (all 2,000 pipelines). Goal <= 100.
//   insight_first_load_js_kb    gzipped JS of /pipelines/[id]/insights on first visit. Goal <= 180.
import type { Db } from "@/lib/server/db/client";
import { rebuildRollups } from "@/lib/server/insight/rollup/rebuild";
import type { AppServer } from "./app-server";
import { firstLoadJsKb } from "./first-load-js";
import { getPage, type PageCheck } from "./http-timing";
import { percentile } from "./stats";

export type InsightFigures = {
  insight_repository_p95_ms: number;
  insight_all_p95_ms: number;
  insight_first_load_js_kb: number;
  /** How long building the rollups from the seed took (0 when they were built already). */
  insight_rebuild_ms: number;
};

const FIGURE = 'data-testid="figure-deployment-frequency"';
export const INSIGHT_REPOSITORY = "org1/repo-1";

async function timed(app: AppServer, cookie: string, page: PageCheck, runs: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await getPage(app.url, cookie, page);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push((await getPage(app.url, cookie, page)).ms);
  return out;
}

export async function measureInsight(
  app: AppServer,
  cookie: string,
  db: Db,
  options: { runs: number; warmup: number; say: (line: string) => void },
): Promise<InsightFigures> {
  let rebuildMs = 0;
  if ((await db.insightApplied.count()) === 0) {
    const t0 = performance.now();
    const n = await rebuildRollups(db, (done) => {
      if (done % 100_000 === 0) options.say(`insight rollups: ${done} executions applied`);
    });
    rebuildMs = performance.now() - t0;
    options.say(`insight rollups built from ${n} executions in ${(rebuildMs / 1000).toFixed(1)} s`);
  }
  const repository = await timed(
    app,
    cookie,
    {
      path: `/repositories/${INSIGHT_REPOSITORY}/insights?period=90`,
      expect: [FIGURE, `Insight: ${INSIGHT_REPOSITORY}`],
    },
    options.runs,
    options.warmup,
  );
  const all = await timed(app, cookie, { path: "/insights?period=90", expect: [FIGURE] }, options.runs, options.warmup);
  return {
    insight_repository_p95_ms: Number(percentile(repository, 95).toFixed(1)),
    insight_all_p95_ms: Number(percentile(all, 95).toFixed(1)),
    insight_first_load_js_kb: Number(insightFirstLoadJsKb().toFixed(1)),
    insight_rebuild_ms: Math.round(rebuildMs),
  };
}

/** The pipeline insight page's first-load JS; -1 without a build. */
export const insightFirstLoadJsKb = () => firstLoadJsKb("/pipelines/[id]/insights/page");
