// Backfill phase on the real clock: a fleet with long history behind a sandbox rate limit, synced by the
// engine (in-process, or as a child process that is killed with SIGKILL halfway and restarted).
import type { ChildProcess } from "node:child_process";
import pino from "pino";
import { startSandbox } from "@/sandbox";
import { resetCodePipelineClients } from "@/lib/server/aws/codepipeline-client";
import { startSyncEngine, syncOnce } from "@/lib/server/sync/engine";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";
import { compareWithTruth, fetchTruth, type Truth } from "@/lib/server/sync/testing/compare-truth";
import type { BenchDb } from "./bench-db";
import { spawnSyncChild } from "./lockstep-child";

export interface BackfillOptions {
  pipelines: number;
  historyDays: number;
  rateLimit: number;
  chaos: boolean;
}

export interface BackfillFigures {
  seconds: number;
  minimumSeconds: number;
  ratio: number;
  pages: number;
  requests: number;
  throttled: number;
  errorLogs: number;
  mismatches: number;
  kills: number;
}

/**
 * Pages a perfect client needs: every execution and every action execution at 100 a page, every rule
 * execution at 100 a page for pipelines that declare stage conditions (none asked for the others), plus ListPipelines.
 */
export function pagesNeeded(truth: Truth): number {
  let pages = 1;
  for (const p of truth.pipelines) {
    const count = (of: (s: Truth["pipelines"][number]["executions"][number]["stages"][number]) => number) =>
      p.executions.reduce((n, e) => n + e.stages.reduce((m, s) => m + of(s), 0), 0);
    pages +=
      Math.max(1, Math.ceil(p.executions.length / 100)) + Math.max(1, Math.ceil(count((s) => s.actions.length) / 100));
    if (p.conditions) pages += Math.max(1, Math.ceil(count((s) => s.rules.length) / 100));
  }
  return pages;
}

function startChild(url: string, sandboxUrl: string, rps: number, id: string): ChildProcess {
  return spawnSyncChild({ DATABASE_URL: url, SANDBOX_URL: sandboxUrl, SYNC_RPS: String(rps), WORKER_ID: id }, "quiet");
}

export async function runBackfillPhase(benchDb: BenchDb, o: BackfillOptions): Promise<BackfillFigures> {
  const logs: { level: number }[] = [];
  const logger = pino(
    { level: "warn" },
    { write: (line: string) => void logs.push(JSON.parse(line) as { level: number }) },
  );
  const sandbox = await startSandbox({
    port: 0,
    clock: "real",
    activity: false,
    pipelines: o.pipelines,
    historyDays: o.historyDays,
    seed: "bench-backfill",
  });
  await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: "POST",
    body: JSON.stringify({ throttle: { "*": o.rateLimit } }),
  });
  const truthBefore = await fetchTruth(sandbox.url);
  const pages = pagesNeeded(truthBefore);
  const { url, db } = await benchDb.newDatabase(o.chaos ? "backfill_chaos" : "backfill");
  await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST", body: "{}" });
  const target = { id: "sandbox", region: "us-east-1", endpoint: sandbox.url };
  const started = performance.now();
  let kills = 0;
  let child: ChildProcess | null = null;
  const engine = o.chaos
    ? null
    : startSyncEngine({
        db,
        logger,
        targets: [target],
        settings: { ...DEFAULT_SETTINGS, requestsPerSecond: o.rateLimit, tickMs: 50 },
      });
  if (o.chaos) child = startChild(url, sandbox.url, o.rateLimit, "chaos-1");
  const progress = async () => {
    const total = await db.pipelineSync.count();
    const done = await db.pipelineSync.count({
      where: { backfillDone: true, actionBackfillDone: true, ruleBackfillDone: true },
    });
    return { total, done };
  };
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const { total, done } = await progress();
    if (o.chaos && kills === 0 && total > 0 && done >= total / 2) {
      child?.kill("SIGKILL");
      kills++;
      // The killed process's leases lapse after 30 s; a new process takes its pipelines over then.
      child = startChild(url, sandbox.url, o.rateLimit, "chaos-2");
    }
    if (total >= o.pipelines && done === total) break;
  }
  const seconds = (performance.now() - started) / 1000;
  await engine?.stop();
  child?.kill("SIGTERM");
  const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as {
    requests: Record<string, number>;
    throttled: number;
  };
  // Compare executions that had finished before the run (the clock is real: live ones keep moving).
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" });
  for (let i = 0; i < 3; i++)
    await syncOnce({ db, logger, targets: [target], settings: { ...DEFAULT_SETTINGS, requestsPerSecond: 200 } });
  const finished = new Set(
    truthBefore.pipelines.flatMap((p) =>
      p.executions.filter((e) => e.status !== "InProgress" && e.status !== "Stopping").map((e) => e.id),
    ),
  );
  const truth = await fetchTruth(sandbox.url);
  const settled: Truth = {
    now: truth.now,
    pipelines: truth.pipelines.map((p) => ({ ...p, executions: p.executions.filter((e) => finished.has(e.id)) })),
  };
  const comparison = await compareWithTruth(db, "sandbox", settled, { exactCount: false });
  if (comparison.samples.length) console.error("backfill mismatch samples:", comparison.samples.slice(0, 5));
  resetCodePipelineClients();
  await sandbox.stop();
  const minimumSeconds = pages / o.rateLimit;
  return {
    seconds,
    minimumSeconds,
    ratio: seconds / minimumSeconds,
    pages,
    requests: Object.values(stats.requests).reduce((a, b) => a + b, 0),
    throttled: stats.throttled,
    errorLogs: logs.filter((l) => l.level >= 50).length,
    mismatches: comparison.mismatches,
    kills,
  };
}
