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
  /** Every page of the overview in turn (/?page=1 … /?page=20): how all 2,000 rows are reached. */
  overviewAll: number[];
  /** GET /api/search/commits over full SHAs, 7- and 4-character prefixes and a merged pull request's number. */
  commitSearch: number[];
  pipeline: number[];
  history: number[];
  /** Body sizes in bytes (HTML plus the inlined React payload); overviewAll is its largest page. */
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

  const pageCount = Math.ceil(SEED.pipelines / OVERVIEW_RENDER_LIMIT);
  const pages: Record<"overview" | "pipeline" | "history", PageCheck> = {
    overview: { path: "/", expect: ["Needs attention"], atLeast: { text: ROW, count: OVERVIEW_RENDER_LIMIT } },
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
  // Each page holds OVERVIEW_RENDER_LIMIT rows and the last one ends at the 2,000th: all rows are reachable.
  const overviewPages: PageCheck[] = Array.from({ length: pageCount }, (_, i) => ({
    path: i === 0 ? "/?page=1" : `/?page=${i + 1}`,
    expect: [`Pipelines ${i * OVERVIEW_RENDER_LIMIT + 1}–${(i + 1) * OVERVIEW_RENDER_LIMIT} of ${SEED.pipelines}`],
    atLeast: { text: ROW, count: OVERVIEW_RENDER_LIMIT },
  }));
  const overview = await timePage(app.url, cookie, pages.overview, runs, warmup);
  const overviewAll = { times: [] as number[], bytes: 0 };
  const rounds = Math.max(1, Math.ceil(runs / pageCount));
  for (const page of overviewPages) await timePage(app.url, cookie, page, 0, 1);
  for (let round = 0; round < rounds; round++)
    for (const page of overviewPages) {
      const { times, bytes } = await timePage(app.url, cookie, page, 1, 0);
      overviewAll.times.push(...times);
      overviewAll.bytes = Math.max(overviewAll.bytes, bytes);
    }
  const pipeline = await timePage(app.url, cookie, pages.pipeline, runs, warmup);
  const history = await timePage(app.url, cookie, pages.history, runs, warmup);
  const commitSearch = await timeCommitSearch(app, cookie, db, runs, warmup);
  return {
    overview: overview.times,
    overviewAll: overviewAll.times,
    commitSearch,
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

/**
 * "Where is my commit?" as the API answers it, in turn: a full SHA, its 7-character prefix, a 4-character one
 * (about 15 of the million SHAs share it), and #482, which the seed's merge commits name in one execution of six.
 */
async function timeCommitSearch(app: AppServer, cookie: string, db: Db, runs: number, warmup: number) {
  const rows = await db.execution.findMany({
    where: { id: { in: ["x1", "x250001", "x500000", "x777777", "x999999"] } },
    select: { commitSha: true },
  });
  const shas = rows.flatMap((r) => (r.commitSha ? [r.commitSha] : []));
  if (shas.length === 0) throw new Error("the seed has no commit SHAs");
  const queries = shas.flatMap((sha) => [sha, sha.slice(0, 7), sha.slice(0, 4)]).concat("#482");
  const checks: PageCheck[] = queries.map((q) => ({
    path: `/api/search/commits?q=${encodeURIComponent(q)}`,
    expect: ['"commits":[{"sha":"'],
  }));
  for (const check of checks)
    for (let i = 0; i < Math.ceil(warmup / checks.length); i++) await timePage(app.url, cookie, check, 0, 1);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const check = checks[i % checks.length];
    if (check) times.push(...(await timePage(app.url, cookie, check, 1, 0)).times);
  }
  return times;
}
