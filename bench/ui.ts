// npm run bench:ui – dashboard response times on 2,000 pipelines / 200 repositories /
// 1,000,000 executions, against the same overview computed live from the CodePipeline API.
// PostgreSQL is embedded in .data/bench-ui unless BENCH_DATABASE_URL is set; it is seeded once by
// bench/seed-ui.ts and reused. The HTTP figures need a production build (`npm run build`); without
// one the bench runs `next build` first.
//
// Figures (all in ms unless named otherwise; p95/p50 over sequential requests, none in parallel):
//   overview_p95_ms, overview_p50_ms  GET / on `next start` with a signed-in admin who reads all 200
//                                     repositories: request sent until the whole body is read
//                                     (session lookup, data, React rendering, HTTP). Goal <= 150.
//   pipeline_p95_ms                   GET /pipelines/p1, the pipeline with 200,000 executions. Goal <= 100.
//   history_p95_ms                    GET /pipelines/p1/executions?cursor=… starting at row 150,000. Goal <= 50.
//   overview_all_rows_p95_ms          every page of the overview in turn (/?page=1 … /?page=20, 100 rows
//                                     each), each checked to hold its rows: how all 2,000 rows are reached.
//   commit_search_p95_ms              GET /api/search/commits over full SHAs, 7- and 4-character prefixes and
//                                     a merged pull request's number (one execution in six). Goal <= 50.
//   *_bytes                           body size of those pages (HTML plus the inlined React payload);
//                                     overview_all_rows_bytes is the largest of the overview's pages.
//   *_data_p95_ms                     the server data function behind each page (lib/server/pipelines/*)
//                                     called in process: no session, rendering or HTTP. The pipeline one
//                                     rotates over many pipelines; the history one over deep cursors of
//                                     p1 (160,000 and 199,000 rows in) and of two ordinary pipelines.
//   history_filtered_data_p95_ms      deep p1 history filtered to status Failed, data function only.
//   changes_data_p95_ms               the "changed since" token every open page polls each second.
//   live_overview_ms                  the overview computed live from the CodePipeline API (sandbox, 2,000
//                                     pipelines, 10 in parallel), median of 3; live_vs_stored_ratio divides
//                                     it by overview_data_p50_ms.
//   overview_first_load_js_kb         gzipped JS for a first visit to "/" in the last build. Goal <= 165.
//   idle_tab_requests_per_minute,     the live phase (bench/lib/phase-ui-live.ts), after the others and on a
//   change_to_screen_p95_ms           database of its own: a live sandbox fleet synced by the engine, 50 SSE
//                                     clients on the overview, real Chromium tabs. Goals <= 2 and <= 500.
// `-- --only=live` runs the live phase alone (no seeding); `-- --only=seeded` skips it. BENCH_LIVE_PIPELINES
// (default 200) sizes its fleet, BENCH_LIVE_IDLE_S (default 60) the idle tab's window.
// BENCH_RUNS (default 40) sets the data-function runs; BENCH_HTTP_RUNS (default 200) the HTTP runs.
import path from "node:path";
import pg from "pg";
import { createDb } from "@/lib/server/db/client";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { applyMigrations } from "@/lib/server/db/schema-engine";
import { startAppServer } from "./lib/app-server";
import { createBenchUser } from "./lib/bench-user";
import { overviewFirstLoadJsKb } from "./lib/first-load-js";
import { timeLiveOverview } from "./lib/live-overview";
import { runUiLivePhase } from "./lib/phase-ui-live";
import { percentile } from "./lib/stats";
import { timeDataFunctions } from "./lib/ui-data";
import { timePages, type HttpTimes } from "./lib/ui-http";
import { isSeeded, SEED, seedUi } from "./seed-ui";

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 200);
const HTTP_WARMUP = 20;

const ONLY = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length) ?? "all";
if (!["all", "seeded", "live"].includes(ONLY)) {
  console.error("usage: npm run bench:ui [-- --only=seeded|live]");
  process.exit(2);
}
const LIVE_DATABASE = "stageboard_bench_ui_live";

type Databases = { seeded(): Promise<string>; live(): Promise<string>; stop(): Promise<void> };

/** The seeded database (kept between runs) and the live phase's (made afresh each run), on one server. */
async function databases(): Promise<Databases> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const live = new URL(given);
    live.pathname = `/${LIVE_DATABASE}`;
    return {
      seeded: () => Promise.resolve(given),
      live: () => freshDatabase(given, live.toString()),
      stop: async () => {},
    };
  }
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench-ui/postgres") });
  return {
    seeded: () => server.createDatabase("stageboard_bench_ui"),
    live: async () =>
      freshDatabase(await server.createDatabase("postgres"), await server.createDatabase(LIVE_DATABASE)),
    stop: () => server.stop(),
  };
}

async function freshDatabase(adminUrl: string, url: string): Promise<string> {
  const admin = new URL(adminUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${LIVE_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${LIVE_DATABASE}`);
  } finally {
    await client.end();
  }
  return url;
}

/** The pages over HTTP: server and bench user exist only for this and are always removed. */
async function timeHttp(url: string, db: ReturnType<typeof createDb>, say: (line: string) => void): Promise<HttpTimes> {
  say(`starting the production server (next start) against the bench database…`);
  const app = await startAppServer(url, say);
  const user = await createBenchUser(url);
  try {
    say(`timing pages over HTTP (${HTTP_WARMUP} warm-up + ${HTTP_RUNS} requests each)…`);
    return await timePages(app, user.cookie, db, HTTP_RUNS, HTTP_WARMUP);
  } catch (error) {
    console.error(`server output:\n${app.output()}`);
    throw error;
  } finally {
    await user.remove();
    await app.stop();
  }
}

/** The seeded phase: page and data timings on the seeded database; its figures, printed as they are known. */
async function seededPhase(url: string, say: (line: string) => void): Promise<Record<string, string>> {
  const db0 = { url };
  {
    await applyMigrations(db0.url);
    if (!(await isSeeded(db0.url))) {
      say(`seeding ${SEED.pipelines} pipelines, ${SEED.executions} executions…`);
      const t0 = performance.now();
      await seedUi(db0.url, say);
      say(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const db = createDb(db0.url, 10);
    let http: HttpTimes;
    let data: Awaited<ReturnType<typeof timeDataFunctions>>;
    try {
      http = await timeHttp(db0.url, db, say);
      say(`timing the data functions in process (${RUNS} runs each)…`);
      data = await timeDataFunctions(db, RUNS);
    } finally {
      await db.$disconnect();
    }

    say("live overview from the CodePipeline API (sandbox, 2,000 pipelines)…");
    const live = await timeLiveOverview(SEED.pipelines);

    const p95 = (v: number[]) => percentile(v, 95).toFixed(1);
    const p50 = (v: number[]) => percentile(v, 50);
    const figures = {
      overview_p95_ms: p95(http.overview),
      pipeline_p95_ms: p95(http.pipeline),
      history_p95_ms: p95(http.history),
      overview_p50_ms: p50(http.overview).toFixed(1),
      overview_all_rows_p95_ms: p95(http.overviewAll),
      commit_search_p95_ms: p95(http.commitSearch),
      overview_bytes: String(http.bytes.overview),
      overview_all_rows_bytes: String(http.bytes.overviewAll),
      pipeline_bytes: String(http.bytes.pipeline),
      history_bytes: String(http.bytes.history),
      overview_data_p95_ms: p95(data.overview),
      overview_data_p50_ms: p50(data.overview).toFixed(1),
      overview_all_rows_data_p95_ms: p95(data.overviewAll),
      pipeline_data_p95_ms: p95(data.pipeline),
      history_data_p95_ms: p95(data.history),
      history_filtered_data_p95_ms: p95(data.filteredHistory),
      changes_data_p95_ms: p95(data.changes),
      live_overview_ms: p50(live).toFixed(0),
      live_vs_stored_ratio: (p50(live) / p50(data.overview)).toFixed(1),
      overview_first_load_js_kb: overviewFirstLoadJsKb().toFixed(1),
    };
    const kb = (bytes: string) => `${(Number(bytes) / 1024).toFixed(0)} kB`;
    say(
      `overview over HTTP: p50 ${figures.overview_p50_ms} ms, p95 ${figures.overview_p95_ms} ms (goal <= 150), ${kb(figures.overview_bytes)}; all 2,000 rows page by page: p95 ${figures.overview_all_rows_p95_ms} ms (goal <= 200), largest page ${kb(figures.overview_all_rows_bytes)} (goal <= 391 kB)`,
    );
    say(`commit search over HTTP: p95 ${figures.commit_search_p95_ms} ms (goal <= 50)`);
    say(`pipeline page over HTTP: p95 ${figures.pipeline_p95_ms} ms (goal <= 100), ${kb(figures.pipeline_bytes)}`);
    say(
      `history page 150,000 rows deep over HTTP: p95 ${figures.history_p95_ms} ms (goal <= 50), ${kb(figures.history_bytes)}`,
    );
    say(
      `data functions in process: overview p95 ${figures.overview_data_p95_ms} ms (all rows ${figures.overview_all_rows_data_p95_ms}), pipeline p95 ${figures.pipeline_data_p95_ms} ms, deep history p95 ${figures.history_data_p95_ms} ms (filtered ${figures.history_filtered_data_p95_ms})`,
    );
    say(`"changed since" poll: p95 ${figures.changes_data_p95_ms} ms`);
    say(
      `live overview via the API: ${figures.live_overview_ms} ms, ${figures.live_vs_stored_ratio}x Stageboard's stored overview data`,
    );
    say(`overview first-load JS: ${figures.overview_first_load_js_kb} kB gzipped (goal <= 165)`);
    return figures;
  }
}

async function main() {
  const dbs = await databases();
  const say = (line: string) => console.log(line);
  try {
    const figures: Record<string, string> = ONLY === "live" ? {} : await seededPhase(await dbs.seeded(), say);
    if (ONLY !== "seeded") {
      const live = await runUiLivePhase(
        await dbs.live(),
        {
          pipelines: Number(process.env.BENCH_LIVE_PIPELINES ?? 200),
          sseClients: 50,
          idleWindowMs: Number(process.env.BENCH_LIVE_IDLE_S ?? 60) * 1000,
          probes: 40,
        },
        say,
      );
      figures.idle_tab_requests_per_minute = live.idleTabRequestsPerMinute.toFixed(1);
      figures.change_to_screen_p95_ms = live.changeToScreenP95Ms.toFixed(0);
      figures.change_to_screen_p50_ms = live.changeToScreenP50Ms.toFixed(0);
      figures.live_sse_events_per_second = live.sseEventsPerSecond.toFixed(1);
      say(
        `live phase: idle tab ${figures.idle_tab_requests_per_minute} requests/minute (goal <= 2); change to screen p50 ${figures.change_to_screen_p50_ms} ms, p95 ${figures.change_to_screen_p95_ms} ms (goal <= 500); ${figures.live_sse_events_per_second} events/s to each of 50 SSE clients`,
      );
    }
    say(
      `figures: ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
  } finally {
    await dbs.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
