// npm run bench:ui – dashboard server response times on 2,000 pipelines / 200 repositories /
// 1,000,000 executions, against the same overview computed live from the CodePipeline API.
//
// What is timed: the server data functions the pages call (lib/server/pipelines/*), in process,
// against PostgreSQL (embedded in .data/bench-ui unless BENCH_DATABASE_URL is set; seeded once by
// bench/seed-ui.ts and reused). Rendering and HTTP are not included. The first-load JS figure reads
// the last `next build` output in .next (run `npm run build` first; it reports -1 without one).
import { CodePipelineClient, GetPipelineStateCommand, ListPipelineExecutionsCommand, paginateListPipelines } from "@aws-sdk/client-codepipeline";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { encodeCursor } from "@/lib/pipelines/cursor";
import { createDb } from "@/lib/server/db/client";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { applyMigrations } from "@/lib/server/db/schema-engine";
import { getChangeToken } from "@/lib/server/pipelines/get-change-token";
import { getOverview } from "@/lib/server/pipelines/get-overview";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { listExecutions } from "@/lib/server/pipelines/list-executions";
import type { Viewer } from "@/lib/server/session";
import { startSandbox } from "../sandbox/index";
import { isSeeded, SEED, seedUi } from "./seed-ui";

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const LIVE_CONCURRENCY = 10;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
};

async function time<T>(runs: number, fn: (i: number) => Promise<T>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench-ui/postgres") });
  return { url: await server.createDatabase("stageboard_bench_ui"), stop: () => server.stop() };
}

type RscManifests = Record<string, { entryJSFiles?: Record<string, string[]> }>;

/** Every page's client reference manifest under .next/server/app (route groups make the paths vary). */
function pageManifests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageManifests(full);
    return entry.name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

/**
 * Gzipped JS a browser loads for "/" on first visit: the root main files plus every chunk the route's
 * client reference manifest lists for its segments (layouts, page, error and not-found boundaries).
 */
function overviewFirstLoadJsKb(): number {
  const scope = globalThis as unknown as { self?: unknown; __RSC_MANIFEST?: RscManifests };
  scope.self ??= globalThis;
  const load = createRequire(import.meta.url);
  for (const file of pageManifests(path.resolve(".next/server/app"))) load(file);
  // "/(dashboard)/(overview)/page" is "/" once route groups are dropped.
  const key = Object.keys(scope.__RSC_MANIFEST ?? {}).find((k) => k.replace(/\/\([^)]+\)/g, "") === "/page");
  const entries = key ? scope.__RSC_MANIFEST?.[key]?.entryJSFiles : undefined;
  if (!entries || !existsSync(".next/build-manifest.json")) return -1;
  const build = JSON.parse(readFileSync(".next/build-manifest.json", "utf8")) as { rootMainFiles?: string[] };
  const files = new Set([...(build.rootMainFiles ?? []), ...Object.values(entries).flat()]);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(readFileSync(path.join(".next", file)), { level: 9 }).length;
  return bytes / 1024;
}

/** What a console-style page does without Stageboard: list, then state + latest executions per pipeline. */
async function liveOverview(client: CodePipelineClient): Promise<number> {
  const t0 = performance.now();
  const names: string[] = [];
  for await (const page of paginateListPipelines({ client }, {})) names.push(...(page.pipelines ?? []).flatMap((p) => (p.name ? [p.name] : [])));
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      if (!name) continue;
      await Promise.all([client.send(new GetPipelineStateCommand({ name })), client.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 }))]);
    }
  };
  await Promise.all(Array.from({ length: LIVE_CONCURRENCY }, worker));
  return performance.now() - t0;
}

async function main() {
  const db0 = await database();
  const say = (line: string) => console.log(line);
  try {
    await applyMigrations(db0.url);
    if (!(await isSeeded(db0.url))) {
      say(`seeding ${SEED.pipelines} pipelines, ${SEED.executions} executions…`);
      const t0 = performance.now();
      await seedUi(db0.url, say);
      say(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const db = createDb(db0.url, 10);
    const repos = await db.repository.findMany({ select: { fullName: true } });
    const viewer: Viewer = { userId: "bench", login: "bench", name: null, image: null, isAdmin: false, fetchedAt: new Date(), accessError: null, repositories: new Map(repos.map((r) => [r.fullName, "read" as const])) };
    const deps = { db };

    // The page as served (the first 300 rows, attention first) and with every one of the 2,000 rows.
    const overview = await time(RUNS, () => getOverview(viewer, {}, deps));
    const overviewAll = await time(Math.ceil(RUNS / 2), () => getOverview(viewer, { all: "1" }, deps));
    const ids = Array.from({ length: RUNS + 3 }, (_, i) => `p${1 + ((i * 7919) % SEED.pipelines)}`);
    const pipeline = await time(RUNS, (i) => getPipelineDetail(viewer, ids[i % ids.length] ?? "p1", null, deps));

    // Deep history: cursors taken at 80% of the hot pipeline (160,000 rows in) and deep in ordinary ones.
    const deepRow = async (pipelineId: string, depth: number) => (await db.execution.findMany({ where: { pipelineId }, orderBy: [{ startTime: "desc" }, { id: "asc" }], skip: depth, take: 1, select: { id: true, startTime: true } }))[0];
    const cursors: { pipelineId: string; cursor: string }[] = [];
    for (const [pipelineId, depth] of [["p1", 160_000], ["p1", 199_000], ["p17", 350], ["p1500", 300]] as const) {
      const row = await deepRow(pipelineId, depth);
      if (row) cursors.push({ pipelineId, cursor: encodeCursor(row) });
    }
    const history = await time(RUNS, (i) => {
      const pick = cursors[i % cursors.length] ?? { pipelineId: "p1", cursor: "" };
      return listExecutions(viewer, pick.pipelineId, { cursor: pick.cursor }, deps);
    });
    const filteredHistory = await time(RUNS, (i) => listExecutions(viewer, "p1", { cursor: cursors[i % 2]?.cursor, status: "Failed" }, deps));
    // What every open page polls each second.
    const changes = await time(RUNS, (i) => getChangeToken(viewer, i % 2 ? { pipeline: ids[i % ids.length] } : {}, deps));
    await db.$disconnect();

    say("live overview from the CodePipeline API (sandbox, 2,000 pipelines)…");
    const sandbox = await startSandbox({ pipelines: SEED.pipelines, clock: "manual", seed: "bench-ui", historyDays: 7 });
    const client = new CodePipelineClient({ endpoint: sandbox.url, region: "us-east-1", credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" }, maxAttempts: 1 });
    const live: number[] = [];
    for (let i = 0; i < 3; i++) live.push(await liveOverview(client));
    client.destroy();
    await sandbox.stop();

    const p50 = (v: number[]) => percentile(v, 50);
    const figures = {
      overview_p95_ms: percentile(overview, 95).toFixed(1),
      overview_p50_ms: p50(overview).toFixed(1),
      overview_all_rows_p95_ms: percentile(overviewAll, 95).toFixed(1),
      pipeline_p95_ms: percentile(pipeline, 95).toFixed(1),
      history_p95_ms: percentile(history, 95).toFixed(1),
      history_filtered_p95_ms: percentile(filteredHistory, 95).toFixed(1),
      changes_p95_ms: percentile(changes, 95).toFixed(1),
      live_overview_ms: p50(live).toFixed(0),
      live_vs_stored_ratio: (p50(live) / p50(overview)).toFixed(1),
      overview_first_load_js_kb: overviewFirstLoadJsKb().toFixed(1),
    };
    say(`overview: p50 ${figures.overview_p50_ms} ms, p95 ${figures.overview_p95_ms} ms (goal <= 150); all 2,000 rows: p95 ${figures.overview_all_rows_p95_ms} ms`);
    say(`pipeline page: p95 ${figures.pipeline_p95_ms} ms (goal <= 100)`);
    say(`history deep in the list: p95 ${figures.history_p95_ms} ms (goal <= 50); filtered by status: p95 ${figures.history_filtered_p95_ms} ms`);
    say(`"changed since" poll: p95 ${figures.changes_p95_ms} ms`);
    say(`live overview via the API: ${figures.live_overview_ms} ms, ${figures.live_vs_stored_ratio}x Stageboard's stored overview`);
    say(`overview first-load JS: ${figures.overview_first_load_js_kb} kB gzipped (goal <= 200)`);
    say(`figures: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  } finally {
    await db0.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
