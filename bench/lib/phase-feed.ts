// Change-feed phase on the real clock: a fleet kept busy (every pipeline running) is synced by the engine in
// a child process, while
// - a reader measures the lag from a change's store to its arrival: an SSE client of GET /api/stream on
//   the production server when a build with that route exists (`sse`), otherwise a subscribeToFeed
//   subscriber in a child process (`tail`), the same fan-out the route sits on minus HTTP;
// - a durable consumer (consumeChanges) in a child process records every change it handles and is
//   SIGKILLed at random moments and restarted; at the end its record is compared with the ChangeEvent rows.
// The lag runs from ChangeEvent.createdAt, which the trigger stamps with clock_timestamp() during the
// writing transaction, so at most its commit time: the figure can only overstate the real lag.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { startSandbox } from "@/sandbox";
import type { BenchDb } from "./bench-db";
import { tallyConsumer } from "./chaos-plan";
import { startAppServer, type AppServer } from "./app-server";
import { createBenchUser, type BenchUser } from "./bench-user";
import { spawnSyncChild } from "./lockstep-child";
import { openSseClient, type SseClient } from "./sse-client";
import { percentile } from "./stats";

export interface FeedOptions {
  pipelines: number;
  busyMs: number;
  consumerKills: number;
  /** Measure to an SSE client of the production server (needs a build with GET /api/stream). */
  sse: boolean;
}

export interface FeedFigures {
  lagP95Ms: number;
  lagSamples: number;
  /** Where the lag was measured to. */
  reader: "sse" | "tail";
  changes: number;
  duplicates: number;
  gaps: number;
  kills: number;
}

/** Whether the production build has the stream route, so the SSE client has a server to talk to. */
export function buildHasStreamRoute(): boolean {
  return existsSync(".next/BUILD_ID") && existsSync(".next/server/app/api/stream/route.js");
}

function startFeedChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/lib/feed-child.ts"], {
    env: {
      ...process.env,
      LOG_LEVEL: "warn",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => (line === "ready" ? resolve(child) : reject(new Error(`feed child: ${line}`))));
    child.once("exit", (code) => reject(new Error(`the feed child exited during start-up (${code})`)));
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export async function runFeedPhase(benchDb: BenchDb, o: FeedOptions): Promise<FeedFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), "stageboard-feed-"));
  const consumerLog = path.join(dir, "consumer.log");
  const tailLog = path.join(dir, "tail.log");
  writeFileSync(consumerLog, "");
  writeFileSync(tailLog, "");
  const sandbox = await startSandbox({
    port: 0,
    clock: "real",
    pipelines: o.pipelines,
    historyDays: 1,
    seed: "bench-feed",
  });
  const { url, db } = await benchDb.newDatabase("feed");
  const children: ChildProcess[] = [];
  let app: AppServer | null = null;
  let user: BenchUser | null = null;
  let sse: SseClient | null = null;
  try {
    const sync = spawnSyncChild({ DATABASE_URL: url, SANDBOX_URL: sandbox.url, SYNC_RPS: "200" }, "quiet");
    children.push(sync);
    // The history first: the busy stretch then measures live syncing only.
    await until("the backfill", 10 * 60_000, async () => {
      const done = await db.pipelineSync.count({
        where: { backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true },
      });
      return done >= o.pipelines;
    });
    const consumerEnv = { DATABASE_URL: url, FEED_MODE: "consumer", FEED_LOG: consumerLog };
    let consumer = await startFeedChild(consumerEnv);
    children.push(consumer);
    if (o.sse) {
      // Every repository pinned to a made-up GitHub id, so the bench user (who reads them all) sees every pipeline.
      await db.$executeRaw`UPDATE "Repository" r SET "githubId" = 1000000 + n.k FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM "Repository") n WHERE n.id = r.id`;
      app = await startAppServer(url, (line) => console.log(line));
      user = await createBenchUser(url);
      sse = openSseClient(`${app.url}/api/stream`, user.cookie);
    } else children.push(await startFeedChild({ DATABASE_URL: url, FEED_MODE: "tail", FEED_LOG: tailLog }));
    // Let the readers connect before the changes to be timed begin.
    await sleep(2_000);
    const busyFrom = new Date();
    const activity = async () =>
      fetch(`${sandbox.url}/_sandbox/activity`, { method: "POST", body: JSON.stringify({ count: o.pipelines }) });
    await activity();
    const killAt = Array.from({ length: o.consumerKills }, () => (0.1 + 0.8 * Math.random()) * o.busyMs).sort(
      (a, b) => a - b,
    );
    const started = Date.now();
    let kills = 0;
    let nextActivity = started + 60_000;
    while (Date.now() - started < o.busyMs) {
      const elapsed = Date.now() - started;
      if (kills < killAt.length && elapsed >= (killAt[kills] ?? Infinity)) {
        await kill(consumer, "SIGKILL");
        kills++;
        consumer = await startFeedChild(consumerEnv);
        children.push(consumer);
      }
      // Pipelines that finished start again, so the whole fleet stays busy.
      if (Date.now() >= nextActivity) {
        nextActivity += 60_000;
        await activity();
      }
      await sleep(50);
    }
    // No new changes: stop the sync, then let the consumer catch up with every readable row.
    await kill(sync, "SIGTERM");
    const handled = () =>
      readFileSync(consumerLog, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => BigInt(line));
    const rows = async () => (await db.changeEvent.findMany({ select: { id: true } })).map((r) => r.id);
    let all: bigint[] = [];
    try {
      await until("the consumer to catch up", 120_000, async () => {
        all = await rows();
        const seen = new Set(handled());
        return all.every((id) => seen.has(id));
      });
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
    }
    const tally = tallyConsumer(handled(), all);
    // The lag of live changes written during the busy stretch.
    const timed = await db.changeEvent.findMany({
      where: { createdAt: { gte: busyFrom }, origin: "live" },
      select: { id: true, createdAt: true },
    });
    const lags: number[] = [];
    if (sse) {
      for (const row of timed) {
        const at = sse.arrivals.get(row.id);
        if (at !== undefined) lags.push(at - row.createdAt.getTime());
      }
    } else {
      const wanted = new Set(timed.map((r) => r.id));
      for (const line of readFileSync(tailLog, "utf8").split("\n")) {
        const [id, lag] = line.split(" ");
        if (id && lag && wanted.has(BigInt(id))) lags.push(Number(lag));
      }
    }
    if (lags.length < timed.length)
      console.error(`feed: ${timed.length - lags.length} of ${timed.length} live changes never reached the reader`);
    return {
      lagP95Ms: lags.length ? percentile(lags, 95) : NaN,
      lagSamples: lags.length,
      reader: sse ? "sse" : "tail",
      changes: all.length,
      ...tally,
      kills,
    };
  } finally {
    sse?.stop();
    await user?.remove().catch(() => {});
    await app?.stop();
    for (const child of children) await kill(child, "SIGKILL");
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
