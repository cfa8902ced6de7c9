// The write-back benchmark's live phase: a sandbox fleet kept busy on the real clock, delivering EventBridge events
// to the product's events handler in this process; `npm run worker` in a child process syncing it into Postgres and
// writing back to the GitHub stand-in (through the tap, which times every check-run write) as the App. After the
// busy stretch the worker is stopped (the stored state stops moving), the write-back loop alone catches up with the
// feed, and what GitHub holds is compared with Postgres. With chaos the worker is SIGKILLed and restarted three
// times, GitHub is unreachable for 60 s and secondary-limit 403s are injected, all during the busy stretch.
import pino from "pino";
import { startSandbox } from "@/sandbox";
import type { BenchDb } from "./bench-db";
import { EVENTS_HEADER, EVENTS_SECRET, startEventsReceiver } from "./events-receiver";
import {
  compareReports,
  type Comparison,
  type StandInDeployment,
  type StandInRun,
  type StandInStatus,
} from "./github-compare";
import { lagsOf, type StatusChange } from "./github-expect";
import { startLagProbe } from "./github-probe";
import { APP_ID, startGitHubStack } from "./github-stack";
import { startWriter, type Writer } from "./github-writer";
import { percentile } from "./stats";

export interface LiveOptions {
  pipelines: number;
  busyMs: number;
  chaos: boolean;
  /** Stageboard's content budget for the phase (the stand-in enforces none here). */
  limits: { perMinute: number; perHour: number };
  say: (line: string) => void;
}

export interface LiveFigures {
  lagP95Ms: number;
  lagP50Ms: number;
  lagSamples: number;
  lagUnseen: number;
  requests: number;
  stateChanges: number;
  requestsPerStateChange: number;
  routes: Record<string, number>;
  comparison: Comparison;
  kills: number;
  outageMs: number;
  injected403: number;
  catchUpMs: number;
  /** Jobs still pending when the comparison was made (each also a mismatch). */
  pendingAtEnd: number;
  jobs: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `done` held within the time; false once it ran out. */
async function within(timeoutMs: number, done: () => Promise<boolean>, pollMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

async function until(what: string, timeoutMs: number, done: () => Promise<boolean>, pollMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** The chaos moments, in ms into the busy stretch: three kills, one outage start, two bursts of 403s. */
export function chaosSchedule(busyMs: number, random: () => number = Math.random) {
  const outageAt = busyMs * (0.2 + 0.1 * random());
  const kills = [0.1, 0.5, 0.75].map((f) => busyMs * (f + 0.08 * random()));
  const limits = [0.15, 0.6].map((f) => busyMs * (f + 0.1 * random()));
  return { outageAt, kills, limits };
}

export async function runLivePhase(benchDb: BenchDb, o: LiveOptions): Promise<LiveFigures> {
  const { say } = o;
  const logger = pino({ level: "warn" }, pino.destination(2));
  const receiver = await startEventsReceiver(logger);
  const sandbox = await startSandbox({
    port: 0,
    clock: "real",
    pipelines: o.pipelines,
    historyDays: 1,
    seed: "bench-github",
    events: { url: receiver.url, headerName: EVENTS_HEADER, secret: EVENTS_SECRET },
  });
  const { url, db } = await benchDb.newDatabase(o.chaos ? "github_live_chaos" : "github_live");
  receiver.setTarget(db, Date.now);
  const { repositories } = (await (await fetch(`${sandbox.url}/_sandbox/repositories`)).json()) as {
    repositories: string[];
  };
  const stack = await startGitHubStack({ repositories, commitsFrom: `${sandbox.url}/_sandbox/commits` });
  const target = { id: "sandbox", accountId: "111122223333", region: "us-east-1", endpoint: sandbox.url };
  const env = {
    ...stack.env(o.limits),
    DATABASE_URL: url,
    STAGEBOARD_TARGETS: JSON.stringify([target]),
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench-secret",
    SYNC_REQUESTS_PER_SECOND: "200",
    LOG_LEVEL: "info",
  };
  let writer: Writer | null = null;
  try {
    say(
      `${repositories.length} repositories on ${new Set(repositories.map((r) => r.split("/")[0])).size} installations; starting the worker…`,
    );
    writer = await startWriter("worker", env);
    const t0 = Date.now();
    await until(
      "the backfill",
      10 * 60_000,
      async () =>
        (await db.pipelineSync.count({
          where: { backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true },
        })) >= o.pipelines,
      1_000,
    );
    say(
      `backfilled ${o.pipelines} pipelines in ${((Date.now() - t0) / 1000).toFixed(0)} s; busy stretch of ${o.busyMs / 1000} s…`,
    );

    await stack.control("requests/reset", {});
    const probe = startLagProbe(db);
    const busyFrom = new Date();
    const activity = () =>
      fetch(`${sandbox.url}/_sandbox/activity`, { method: "POST", body: JSON.stringify({ count: o.pipelines }) });
    await activity();
    const plan = o.chaos ? chaosSchedule(o.busyMs) : { outageAt: Infinity, kills: [], limits: [] };
    const pendingKills = [...plan.kills].sort((a, b) => a - b);
    const pendingLimits = [...plan.limits].sort((a, b) => a - b);
    let outage: { from: number; until: number } | null = null;
    let outageMs = 0;
    let injected403 = 0;
    let nextActivity = Date.now() + 60_000;
    const started = Date.now();
    while (Date.now() - started < o.busyMs) {
      const elapsed = Date.now() - started;
      if (pendingKills.length && elapsed >= pendingKills[0]!) {
        pendingKills.shift();
        say(`  ${(elapsed / 1000).toFixed(0)} s: SIGKILL the worker, start another`);
        await writer.killAndRestart();
      }
      if (pendingLimits.length && elapsed >= pendingLimits[0]!) {
        pendingLimits.shift();
        await stack.control("faults", { secondaryLimit: { count: 10 } });
        injected403 += 10;
        say(`  ${(elapsed / 1000).toFixed(0)} s: the next 10 content-creating requests answer 403 (secondary limit)`);
      }
      if (!outage && elapsed >= plan.outageAt) {
        outage = { from: Date.now(), until: Date.now() + 60_000 };
        await stack.tap.down();
        say(`  ${(elapsed / 1000).toFixed(0)} s: GitHub unreachable for 60 s`);
      }
      if (outage && outage.until > 0 && Date.now() >= outage.until) {
        await stack.tap.up();
        outageMs = Date.now() - outage.from;
        outage.until = 0;
        say(`  ${((Date.now() - started) / 1000).toFixed(0)} s: GitHub reachable again`);
      }
      if (Date.now() >= nextActivity) {
        nextActivity += 60_000;
        await activity();
      }
      await sleep(50);
    }
    if (outage && outage.until > 0) {
      await sleep(Math.max(0, outage.until - Date.now()));
      await stack.tap.up();
      outageMs = Date.now() - outage.from;
    }
    // The stored state stops moving; the write-back loop alone then delivers what the feed still holds.
    await writer.stop();
    probe.stop();
    const kills = writer.kills;
    const busyTo = new Date();
    say(`busy stretch over; the worker stopped, the write-back loop alone catches up…`);
    const catchFrom = Date.now();
    writer = await startWriter("writer", env);
    const head = async () =>
      (await db.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM "ChangeEvent"`)[0]?.id ?? null;
    const last = await head();
    let quiet = 0;
    let left = { pending: 0, unread: false };
    // Not empty within 10 minutes: the figures are printed all the same, each job still pending a mismatch.
    const emptied = await within(10 * 60_000, async () => {
      const [consumer, pending] = await Promise.all([
        db.changeConsumer.findUnique({ where: { name: "github-writeback" } }),
        db.writebackJob.count({ where: { state: "pending" } }),
      ]);
      const unread = !(consumer && last !== null && consumer.cursorId >= last);
      left = { pending, unread };
      quiet = !unread && pending === 0 ? quiet + 1 : 0;
      return quiet >= 3;
    });
    if (!emptied)
      say(
        `  the queue was not empty 10 minutes after the stretch: ${left.pending} jobs pending (counted as mismatches)${left.unread ? ", the feed not read to its head" : ""}`,
      );
    const catchUpMs = Date.now() - catchFrom;
    await writer.stop();
    writer = null;

    const requests = await stack.control<{ total: number; routes: Record<string, number> }>("requests");
    const stateChanges = await db.changeEvent.count({
      where: {
        origin: "live",
        createdAt: { gte: busyFrom, lte: busyTo },
        entity: { in: ["execution", "stage", "action", "approval"] },
      },
    });
    // Lag: execution status changes stored in the busy stretch, to the stand-in's answer that held them.
    const changed = await db.$queryRaw<{ id: bigint; executionId: string; at: Date; status: string }[]>`
      SELECT id, "executionId", "createdAt" AS at, after->>'status' AS status FROM "ChangeEvent"
       WHERE origin = 'live' AND entity = 'execution' AND "executionId" IS NOT NULL
         AND "createdAt" >= ${busyFrom} AND "createdAt" <= ${busyTo}
         AND after->>'status' IS NOT NULL AND (before IS NULL OR before->>'status' IS DISTINCT FROM after->>'status')
       ORDER BY id`;
    const reported = new Set(
      (await db.writebackJob.findMany({ where: { kind: "check-run.execution" }, select: { executionId: true } })).map(
        (j) => j.executionId,
      ),
    );
    // The stretch's last seconds are left out: the worker stops then, and the loop started after it delivers them.
    const changes: (StatusChange & { id: bigint })[] = changed
      .filter((c) => reported.has(c.executionId) && c.at.getTime() <= busyTo.getTime() - 10_000)
      .map((c) => ({ id: c.id, executionId: c.executionId, at: c.at.getTime(), status: c.status }));
    const { lags, unseen } = lagsOf(changes, stack.tap.observations);
    say(`lag ${probe.breakdown(changes, stack.tap.observations)}`);
    const answers = stack.tap.answerMs;
    say(
      `the stand-in answered ${answers.length} requests in p50 ${percentile(answers, 50).toFixed(0)} ms, p95 ${percentile(answers, 95).toFixed(0)} ms`,
    );
    if (unseen.length) say(`  ${unseen.length} status changes never shown, e.g. ${JSON.stringify(unseen.slice(0, 3))}`);

    const [jobs, executions, runs, statuses, deployments] = await Promise.all([
      db.writebackJob.findMany({
        select: { kind: true, state: true, headSha: true, pipelineId: true, executionId: true, desired: true },
      }),
      db.execution.findMany({
        select: { executionId: true, pipelineId: true, commitSha: true, status: true, startTime: true },
      }),
      stack.control<StandInRun[]>("checks"),
      stack.control<StandInStatus[]>("statuses"),
      stack.control<StandInDeployment[]>("deployments"),
    ]);
    const comparison = compareReports({ appId: APP_ID, jobs, executions, runs, statuses, deployments });
    const byKindState: Record<string, number> = {};
    for (const j of jobs) byKindState[`${j.kind}:${j.state}`] = (byKindState[`${j.kind}:${j.state}`] ?? 0) + 1;
    return {
      lagP95Ms: lags.length ? percentile(lags, 95) : NaN,
      lagP50Ms: lags.length ? percentile(lags, 50) : NaN,
      lagSamples: lags.length,
      lagUnseen: unseen.length,
      requests: requests.total,
      stateChanges,
      requestsPerStateChange: requests.total / Math.max(1, stateChanges),
      routes: requests.routes,
      comparison,
      kills,
      outageMs,
      injected403,
      catchUpMs,
      pendingAtEnd: jobs.filter((j) => j.state === "pending").length,
      jobs: byKindState,
    };
  } catch (error) {
    if (writer) say(`${writer.kind} output:\n${writer.output()}`);
    throw error;
  } finally {
    await writer?.stop().catch(() => {});
    await stack.stop().catch(() => {});
    await sandbox.stop();
    await receiver.stop();
  }
}
