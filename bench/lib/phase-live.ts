// Live phase on the manual clock: backfill a fleet, then a busy stretch (many executions running) and an
// idle stretch, stepping simulated time and letting the engine catch up after every step (lockstep), with
// or without EventBridge events delivered by the sandbox over HTTP. With `chaos` the sync runs in a child
// process (lockstep mode: it reads the sandbox clock over HTTP at every drain) that is SIGKILLed at random
// moments of random drains of the busy stretch and restarted; the comparison with the ground truth at the
// end then shows whether every prefix of a step's writes was recovered.
import pino from "pino";
import { startSandbox } from "@/sandbox";
import { resetCodePipelineClients } from "@/lib/server/aws/codepipeline-client";
import { syncOnce, type SyncEngineOptions } from "@/lib/server/sync/engine";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";
import { compareWithTruth, fetchTruth } from "@/lib/server/sync/testing/compare-truth";
import type { BenchDb } from "./bench-db";
import { ChangeTracker } from "./change-tracker";
import { EVENTS_HEADER, EVENTS_SECRET, startEventsReceiver } from "./events-receiver";
import { killSteps } from "./chaos-plan";
import { startLockstepSync } from "./lockstep-child";

export interface LiveOptions {
  pipelines: number;
  busyPipelines: number;
  busyMs: number;
  idleMs: number;
  events: boolean;
  /** SIGKILLs of the sync process during the busy stretch (0: the sync runs in this process). */
  kills: number;
}

export interface LiveFigures {
  requestsPerStateChange: number;
  idleRequestsPerPipelineHour: number;
  freshnessP95Ms: number;
  discoveryP95Ms: number;
  approvalP95Ms: number;
  stateChanges: number;
  mismatches: number;
  errorLogs: number;
  kills: number;
  /** Drains that finished before their chosen moment to be killed came (the kill moved to the next step). */
  killsMissed: number;
}

interface Stats {
  requests: Record<string, number>;
  stateChanges: { total: number };
}

export async function runLivePhase(benchDb: BenchDb, o: LiveOptions): Promise<LiveFigures> {
  const logs: { level: number }[] = [];
  const logger = pino(
    { level: "warn" },
    { write: (line: string) => void logs.push(JSON.parse(line) as { level: number }) },
  );
  const receiver = o.events ? await startEventsReceiver(logger) : null;
  const sandbox = await startSandbox({
    port: 0,
    clock: "manual",
    pipelines: o.pipelines,
    // A week of history gives the engine past action durations to plan its polls by. Each mode has its own
    // seed: the sandbox caches generated history per seed and pipeline across instances in one process.
    historyDays: 7,
    seed: o.events ? "bench-live-events" : "bench-live-polling",
    ...(receiver
      ? {
          events: {
            url: receiver.url,
            headerName: EVENTS_HEADER,
            secret: EVENTS_SECRET,
            batchSize: 10,
            duplicateRate: 0.1,
            reorder: true,
            flushMs: 2,
          },
        }
      : {}),
  });
  const { url, db } = await benchDb.newDatabase(o.events ? "live_events" : "live_polling");
  const now = () => sandbox.world.clock.now();
  receiver?.setTarget(db, now);
  let changesSeen = 0;
  const tracker = new ChangeTracker(sandbox);
  const original = sandbox.world.onChange;
  sandbox.world.onChange = (change) => {
    original(change);
    changesSeen++;
  };
  const base = receiver?.received ?? 0;
  const control = async (path: string, body?: unknown) =>
    (
      await fetch(
        `${sandbox.url}/_sandbox/${path}`,
        body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
      )
    ).json() as Promise<unknown>;
  const SYNC_RPS = 1000;
  const options: SyncEngineOptions = {
    db,
    logger,
    targets: [{ id: "sandbox", region: "us-east-1", endpoint: sandbox.url }],
    now,
    random: Math.random,
    settings: { ...DEFAULT_SETTINGS, requestsPerSecond: SYNC_RPS },
  };
  const lockstep = o.kills > 0 ? await startLockstepSync(url, sandbox.url, SYNC_RPS) : null;
  // A drain's usual wall time, so that a kill's moment falls inside one.
  let drainMs = 20;
  const drain = async () => {
    const t0 = performance.now();
    if (lockstep) await lockstep.drain();
    else for (let i = 0; i < 50; i++) if ((await syncOnce(options)).steps.length === 0) break;
    drainMs = 0.9 * drainMs + 0.1 * (performance.now() - t0);
  };
  // A kill is due from its chosen step on and lands at a random moment inside a drain: when the drain
  // finishes first, the next step's drain is tried.
  let killsDue = 0;
  let killsMissed = 0;
  const eventsBase = { changes: changesSeen, received: base };
  const waitForEvents = async () => {
    if (!receiver) return;
    const expected = changesSeen - eventsBase.changes;
    for (let i = 0; i < 200 && receiver.received - eventsBase.received < expected; i++)
      await new Promise((r) => setTimeout(r, 2));
  };
  const run = async (ms: number, stepMs: number, track: boolean, killAt: Set<number> = new Set()) => {
    for (let t = 0, step = 0; t < ms; t += stepMs, step++) {
      sandbox.advance(stepMs);
      await waitForEvents();
      if (killAt.has(step)) killsDue++;
      if (lockstep && killsDue > 0) {
        if (await lockstep.drainOrKill(Math.random() * drainMs)) killsDue--;
        else killsMissed++;
      } else await drain();
      if (track) await tracker.check(db, now());
    }
  };

  await drain();
  await run(60_000, 1_000, false);
  // Busy: many pipelines running at once.
  await control("activity", { count: o.busyPipelines });
  await control("stats/reset", {});
  tracker.start();
  drainMs = 20;
  const busyStepMs = o.events ? 250 : 500;
  await run(o.busyMs, busyStepMs, true, killSteps(o.kills, Math.floor(o.busyMs / busyStepMs)));
  const busy = (await control("stats")) as Stats;
  tracker.stop();
  if (process.env.BENCH_VERBOSE)
    console.error("slow changes", tracker.latencies.length, tracker.slowest.length, tracker.slowest.slice(0, 8));
  const busyRequests = Object.values(busy.requests).reduce((a, b) => a + b, 0);
  if (process.env.BENCH_VERBOSE)
    console.error(o.events ? "events" : "polling", "busy requests", busy.requests, busy.stateChanges);
  // Idle: answer what waits for people, let everything finish, then count requests over quiet hours.
  await control("approvals/expire", {});
  await run(45 * 60_000, 30_000, false);
  await control("stats/reset", {});
  await run(o.idleMs, 10_000, false);
  const idle = (await control("stats")) as Stats;
  const idleRequests = Object.values(idle.requests).reduce((a, b) => a + b, 0);
  await drain();
  await lockstep?.stop();
  const comparison = await compareWithTruth(db, "sandbox", await fetchTruth(sandbox.url));
  if (comparison.samples.length)
    console.error(`mismatch samples (${o.events ? "events" : "polling"}):`, comparison.samples.slice(0, 5));
  resetCodePipelineClients();
  await sandbox.stop();
  await receiver?.stop();
  return {
    requestsPerStateChange: busyRequests / Math.max(1, busy.stateChanges.total),
    idleRequestsPerPipelineHour: idleRequests / o.pipelines / (o.idleMs / 3_600_000),
    freshnessP95Ms: tracker.p95(),
    discoveryP95Ms: tracker.p95(tracker.discovery),
    approvalP95Ms: tracker.p95(tracker.approvals),
    stateChanges: busy.stateChanges.total,
    mismatches: comparison.mismatches,
    errorLogs: logs.filter((l) => l.level >= 50).length,
    kills: lockstep?.kills ?? 0,
    killsMissed,
  };
}
