// The dashboard pages as a browser gets them: GETs to the production server with a session
// cookie, each answer checked for what only the real page contains.
import { OVERVIEW_RENDER_LIMIT } from "@/lib/pipelines/schemas";
import { encodeCursor } from "@/lib/pipelines/cursor";
import type { Db } from "@/lib/server/db/client";
import { PAGE_SIZE } from "@/lib/server/pipelines/list-executions";
import { SEED } from "../seed-ui";
import type { AppServer } from "./app-server";
import { timePage, type PageCheck } from "./http-timing";
import { historyRow } from "./ui-data";

export interface HttpTimes {
  overview: number[];
  overviewAll: number[];
  pipeline: number[];
  history: number[];
  /** Body sizes in bytes (HTML plus the inlined React payload). */
  bytes: { overview: number; overviewAll: number; pipeline: number; history: number };
}

const ROW = 'data-testid="pipeline"';
/** The hot pipeline (200,000 executions) and how deep into its history the measured page starts. */
const DEEP_PIPELINE = "p1";
const HISTORY_DEPTH = 150_000;

export async function timePages(
  app: AppServer,
  cookie: string,
  db: Db,
  runs: number,
  warmup: number,
): Promise<HttpTimes> {
  const hot = await db.pipeline.findUniqueOrThrow({
    where: { id: DEEP_PIPELINE },
    select: { name: true, latestExecutionId: true },
  });
  // The page after the cursor starts with the next row, so that row's id must be on it.
  const before = await historyRow(db, DEEP_PIPELINE, HISTORY_DEPTH - 1);
  const first = await historyRow(db, DEEP_PIPELINE, HISTORY_DEPTH);
  if (!before || !first || !hot.latestExecutionId)
    throw new Error(`the seed has no row ${HISTORY_DEPTH} for ${DEEP_PIPELINE}`);

  const pages: Record<"overview" | "overviewAll" | "pipeline" | "history", PageCheck> = {
    overview: { path: "/", expect: ["Needs attention"], atLeast: { text: ROW, count: OVERVIEW_RENDER_LIMIT } },
    overviewAll: { path: "/?all=1", expect: ["Needs attention"], atLeast: { text: ROW, count: SEED.pipelines } },
    pipeline: {
      path: `/pipelines/${DEEP_PIPELINE}`,
      expect: [`>${hot.name}<`, 'data-testid="stage-graph"', hot.latestExecutionId],
    },
    history: {
      path: `/pipelines/${DEEP_PIPELINE}/executions?cursor=${encodeURIComponent(encodeCursor(before))}`,
      expect: [`aria-label="Execution ${first.executionId}"`],
      atLeast: { text: 'data-testid="execution-row"', count: PAGE_SIZE },
    },
  };
  const overview = await timePage(app.url, cookie, pages.overview, runs, warmup);
  // Ten times the bytes of the default page: fewer runs keep the bench short.
  const overviewAll = await timePage(app.url, cookie, pages.overviewAll, Math.ceil(runs / 4), Math.ceil(warmup / 4));
  const pipeline = await timePage(app.url, cookie, pages.pipeline, runs, warmup);
  const history = await timePage(app.url, cookie, pages.history, runs, warmup);
  return {
    overview: overview.times,
    overviewAll: overviewAll.times,
    pipeline: pipeline.times,
    history: history.times,
    bytes: {
      overview: overview.bytes,
      overviewAll: overviewAll.bytes,
      pipeline: pipeline.bytes,
      history: history.bytes,
    },
  };
}
