// The sync engine: discovery and polling loops over every configured target, sharing work with other
// processes through Postgres leases. `stop()` stops claiming, lets in-flight steps finish (their writes
// and lease releases included) and returns.
import "server-only";
import type { TargetConfig } from "@/lib/config/schema";
import type { AwsOperation } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { pruneAuditLog } from "@/lib/server/control/audit/record";
import { pruneBookkeeping } from "@/lib/server/housekeeping/prune-bookkeeping";
import { pruneHistory } from "../store/retention";
import { DEFAULT_SETTINGS, settingsFromEnv, type SyncSettings } from "../config/settings";
import { onSyncRequested } from "../wake";
import type { StepResult } from "./pipeline-step";
import { SyncWorker, type WorkerOptions } from "./worker";

export interface SyncEngineOptions {
  db: Db;
  logger: Logger;
  targets: TargetConfig[];
  now?: () => number;
  workerId?: string;
  settings?: Partial<SyncSettings>;
  random?: () => number;
  onRequest?: (targetId: string, operation: AwsOperation) => void;
  onStep?: WorkerOptions["onStep"];
}

export interface SyncEngine {
  stop(): Promise<void>;
  requestSync(pipelineId: string): void;
}

async function resolveSettings(overrides: Partial<SyncSettings> | undefined): Promise<SyncSettings> {
  try {
    const { env } = await import("@/lib/env");
    return { ...settingsFromEnv(env), ...overrides };
  } catch {
    return { ...DEFAULT_SETTINGS, ...overrides };
  }
}

function workerFor(opts: SyncEngineOptions, settings: SyncSettings): SyncWorker {
  return new SyncWorker({
    db: opts.db,
    logger: opts.logger,
    targets: opts.targets,
    settings,
    now: opts.now ?? Date.now,
    random: opts.random ?? Math.random,
    workerId: opts.workerId,
    onRequest: opts.onRequest,
    onStep: opts.onStep,
  });
}

/** Longest the loop waits before trying again while the database fails. */
export const MAX_RETRY_MS = 30_000;

/**
 * The loop's wait after `failures` consecutive failed rounds (the database down, or too slow to answer
 * within its timeouts): one tick doubled per failure up to MAX_RETRY_MS, so a dead database costs a
 * few attempts a minute instead of one per tick, give or take 20% (`random` in [0, 1)) so that
 * processes that failed together do not all come back in the same instant.
 */
export function retryDelayMs(failures: number, tickMs: number, random: number): number {
  const base = Math.min(MAX_RETRY_MS, tickMs * 2 ** Math.min(20, Math.max(0, failures)));
  return Math.round(base * (0.8 + 0.4 * random));
}

export function startSyncEngine(opts: SyncEngineOptions): SyncEngine {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const running = new Set<Promise<unknown>>();
  let loopDone: Promise<void> = Promise.resolve();
  let loopError: string | null = null;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;

  // A stop that arrives while a round is in flight must not then wait out a backoff of up to 30 s. A sync
  // requested in this process (signalled only once its row is written, so the database answers) ends the wait
  // at once, or skips the next one when it comes during a round.
  let requested = false;
  const sleep = (ms: number) =>
    stopping || requested
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, ms);
        });
  const stopListening = onSyncRequested(() => {
    requested = true;
    wake?.();
  });

  async function loop(): Promise<void> {
    const settings = await resolveSettings(opts.settings);
    const worker = workerFor(opts, settings);
    let lastHousekeeping = 0;
    // Pruning runs soon after start and then every pruneIntervalMs, one run at a time per process.
    let lastPrune = -Infinity;
    let pruning = false;
    // Leases are renewed on a timer of their own, so a slow claim or a busy pool cannot let them lapse;
    // one renewal at a time, so a stalled database does not collect a queue of them.
    let renewing = false;
    const renewTimer = setInterval(
      () => {
        if (renewing) return;
        renewing = true;
        void worker
          .renew()
          .catch(() => {})
          .finally(() => (renewing = false));
      },
      Math.max(50, Math.min(settings.leaseMs / 3, 1_000)),
    );
    let failures = 0;
    while (!stopping) {
      try {
        await worker.prepare();
        if (now() - lastHousekeeping >= 10_000) {
          lastHousekeeping = now();
          await worker.refreshEventTimes();
          for (const target of worker.targets) track(worker.discover(target));
          if (!pruning && now() - lastPrune >= settings.pruneIntervalMs) {
            lastPrune = now();
            pruning = true;
            track(prune(settings).finally(() => (pruning = false)));
          }
        }
        const claimed = await worker.claim(settings.concurrency - worker.busy);
        for (const c of claimed) track(worker.run(c));
        if (loopError) opts.logger.info("sync loop recovered");
        loopError = null;
        failures = 0;
      } catch (error) {
        failures++;
        const message = error instanceof Error ? error.message : String(error);
        // The database may be down: log once, back off, keep going.
        if (loopError !== message) opts.logger.error({ err: error, workerId: worker.id }, "sync loop failed; retrying");
        loopError = message;
      }
      await sleep(failures ? retryDelayMs(failures, settings.tickMs, random()) : settings.tickMs);
      requested = false;
    }
    await Promise.allSettled(running);
    clearInterval(renewTimer);
    await worker.releaseAll().catch(() => {});
  }

  async function prune(settings: SyncSettings): Promise<void> {
    const at = new Date(now());
    try {
      const counts = await pruneBookkeeping(opts.db, { now: at, sessionMaxAgeMs: settings.sessionMaxAgeMs });
      const executions = settings.retentionDays ? await pruneHistory(opts.db, settings.retentionDays, at) : 0;
      const auditEntries = await pruneAuditLog(opts.db, settings.auditRetentionDays);
      if (executions || auditEntries || Object.values(counts).some(Boolean))
        opts.logger.info({ ...counts, executions, auditEntries }, "pruned");
    } catch (error) {
      // Retried at the next interval; the loop itself reports a database that is down.
      opts.logger.warn({ err: error }, "pruning failed; retrying later");
    }
  }

  function track(p: Promise<unknown>): void {
    const tracked = p
      .catch((error: unknown) => opts.logger.error({ err: error }, "sync task failed"))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  }

  loopDone = loop();
  return {
    async stop() {
      stopping = true;
      stopListening();
      if (timer) clearTimeout(timer);
      wake?.();
      await loopDone;
    },
    requestSync(pipelineId: string) {
      void opts.db.pipelineSync
        .updateMany({ where: { pipelineId }, data: { requestedAt: new Date(now()), nextSyncAt: new Date(now()) } })
        .then(() => wake?.())
        .catch((error: unknown) => opts.logger.warn({ err: error, pipelineId }, "could not request a sync"));
    },
  };
}

export interface SyncRound {
  /** Pipelines stepped in this round, with what each step found. */
  steps: { pipelineId: string; result: StepResult | null }[];
}

/**
 * One deterministic round for tests and benchmarks: discovery (when due, or forced), then one step for
 * every due pipeline, one at a time. Uses the same claims and leases as the running engine.
 */
export async function syncOnce(
  opts: SyncEngineOptions & { forceDiscovery?: boolean; limit?: number },
): Promise<SyncRound> {
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const worker = workerFor(opts, settings);
  await worker.prepare();
  await worker.refreshEventTimes();
  await worker.discoverAll(opts.forceDiscovery ?? false);
  const claimed = await worker.claim(opts.limit ?? 10_000);
  const steps: SyncRound["steps"] = [];
  for (const c of claimed) steps.push({ pipelineId: c.pipelineId, result: await worker.run(c) });
  return { steps };
}
