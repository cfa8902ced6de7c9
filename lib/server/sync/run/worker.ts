// The engine's moving parts without timers: discovery per target, claiming due pipelines, one step each,
// release with the planner's next due time. `startSyncEngine` drives it on a loop; `syncOnce` runs one round.
import "server-only";
import { randomUUID } from "node:crypto";
import type { TargetConfig } from "@/lib/config/schema";
import { AwsCallError } from "@/lib/server/aws/errors";
import type { AwsOperation } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { targetStillBackfills } from "./backfill";
import { applyDiscovery, claimDiscovery, listAllPipelines, releaseDiscovery } from "./discovery";
import { claimDue, releaseLease, renewLeases, type Claimed } from "./leases";
import { signalSyncRequested } from "../wake";
import { eventsFlowing } from "../decide/schedule";
import { afterFailure, afterStep } from "../decide/step-plan";
import { syncPipelineStep, type StepResult } from "./pipeline-step";
import { refreshConnections } from "./refresh-connections";
import type { SyncSettings } from "../config/settings";
import {
  createTargetRuntime,
  ensureTargetRows,
  recordTargetError,
  recordTargetSuccess,
  type TargetRuntime,
} from "./target-runtime";

export interface WorkerOptions {
  db: Db;
  logger: Logger;
  targets: TargetConfig[];
  settings: SyncSettings;
  now: () => number;
  random: () => number;
  workerId?: string;
  /** Called before every AWS request (benchmarks count them). */
  onRequest?: (targetId: string, operation: AwsOperation) => void;
  /** Called when this worker starts and ends a step on a pipeline (observability, tests). */
  onStep?: (event: { workerId: string; pipelineId: string; phase: "start" | "end"; outcome?: string }) => void;
}

export class SyncWorker {
  readonly id: string;
  readonly targets: TargetRuntime[];
  private readonly byId: Map<string, TargetRuntime>;
  private ready = false;
  private readonly inFlight = new Set<string>();
  /** Pipelines whose step ended with a re-sync due at once (requested while it ran). */
  private readonly dueAgain = new Set<string>();
  private readonly loggedErrors = new Map<string, string>();
  private readonly backfillSeen = new Map<string, { at: number; value: boolean }>();

  constructor(private readonly o: WorkerOptions) {
    this.id = o.workerId ?? `worker-${randomUUID()}`;
    this.targets = o.targets.map((t) => createTargetRuntime(t, o.settings, o.onRequest));
    this.byId = new Map(this.targets.map((t) => [t.id, t]));
  }

  get busy(): number {
    return this.inFlight.size;
  }

  async prepare(): Promise<void> {
    if (this.ready) return;
    await ensureTargetRows(this.o.db, this.targets);
    this.ready = true;
  }

  async refreshEventTimes(): Promise<void> {
    const rows = await this.o.db.target.findMany({
      where: { id: { in: [...this.byId.keys()] } },
      select: { id: true, lastEventAt: true },
    });
    for (const row of rows) {
      const t = this.byId.get(row.id);
      if (t) t.lastEventAt = row.lastEventAt?.getTime() ?? null;
    }
  }

  /** Discovery for every target whose turn it is (or all, when forced). */
  async discoverAll(force = false): Promise<void> {
    await this.prepare();
    for (const target of this.targets) await this.discover(target, force);
  }

  async discover(target: TargetRuntime, force = false): Promise<void> {
    const { db, settings } = this.o;
    const now = new Date(this.o.now());
    if (!(await claimDiscovery(db, target.id, this.id, now, settings.leaseMs, force))) return;
    let ok = false;
    try {
      const summaries = await listAllPipelines(target.api);
      const result = await applyDiscovery(db, target.id, summaries, new Date(this.o.now()));
      // Never throws: pipelines are discovered whether or not their connections can be listed.
      await refreshConnections({
        db,
        logger: this.o.logger,
        targetId: target.id,
        api: target.connections,
        now: this.o.now(),
        intervalMs: settings.discoveryIntervalMs,
      });
      await recordTargetSuccess(db, target, this.o.now());
      if (result.created || result.deleted)
        this.o.logger.info({ target: target.id, ...result }, "pipelines discovered");
      this.clearError(`discovery:${target.id}`);
      ok = true;
    } catch (error) {
      await this.reportError(`discovery:${target.id}`, target, error, {
        target: target.id,
        operation: "ListPipelines",
      });
    } finally {
      const delay = ok ? settings.discoveryIntervalMs : Math.min(settings.discoveryIntervalMs, 30_000);
      await releaseDiscovery(db, target.id, this.id, new Date(this.o.now() + delay), ok, new Date(this.o.now())).catch(
        () => {},
      );
    }
  }

  async claim(limit: number): Promise<Claimed[]> {
    await this.prepare();
    return claimDue(this.o.db, {
      owner: this.id,
      targetIds: [...this.byId.keys()],
      now: new Date(this.o.now()),
      leaseMs: this.o.settings.leaseMs,
      limit,
    });
  }

  async renew(): Promise<void> {
    await renewLeases(this.o.db, this.id, [...this.inFlight], new Date(this.o.now() + this.o.settings.leaseMs));
  }

  /** One step for a claimed pipeline, then release; never throws (errors are recorded and logged once). */
  async run(claimed: Claimed): Promise<StepResult | null> {
    const target = this.byId.get(claimed.targetId);
    // Already being synced here (a lease renewed late can be claimed again by its own holder): leave it to that step.
    if (!target || this.inFlight.has(claimed.pipelineId)) return null;
    this.inFlight.add(claimed.pipelineId);
    this.o.onStep?.({ workerId: this.id, pipelineId: claimed.pipelineId, phase: "start" });
    let result: StepResult | null = null;
    try {
      result = await this.step(target, claimed);
    } catch (error) {
      await this.recordFailure(target, claimed, error).catch(() => {});
    } finally {
      this.inFlight.delete(claimed.pipelineId);
    }
    // A re-sync requested while this step ran (after a command) is taken at once, not a tick later; only once
    // the step is no longer in flight, or its own claim of it would be left to the step that just ended.
    if (this.dueAgain.delete(claimed.pipelineId)) signalSyncRequested();
    this.o.onStep?.({
      workerId: this.id,
      pipelineId: claimed.pipelineId,
      phase: "end",
      outcome: result?.outcome ?? "error",
    });
    return result;
  }

  private async step(target: TargetRuntime, claimed: Claimed): Promise<StepResult> {
    const { db, settings } = this.o;
    const flowing = eventsFlowing(target.lastEventAt, this.o.now(), settings.eventsFreshMs);
    // While the target backfills, a live check goes ahead only within its share of the budget, and is
    // charged for every request it makes.
    const backfilling = await this.backfilling(target);
    const liveShareSpent = backfilling && !(settings.backfillLiveShare > 0 && target.liveShare.available());
    let liveCalls = 0;
    const ctx = {
      db,
      api: target.api,
      logger: this.o.logger,
      settings,
      now: this.o.now,
      random: this.o.random,
      targetId: target.id,
    };
    const sync = await db.pipelineSync.findUnique({
      where: { pipelineId: claimed.pipelineId },
      select: { idleChecks: true, pushWatchUntil: true },
    });
    let result: StepResult;
    try {
      result = await syncPipelineStep(ctx, {
        pipelineId: claimed.pipelineId,
        requested: claimed.requested,
        hints: { executionIds: claimed.eventExecutionIds, pipelineEvent: claimed.pipelineEvent },
        liveShareSpent,
        onLiveRequest: () => liveCalls++,
      });
    } finally {
      // Charged even when the check failed half-way: its requests were made.
      if (backfilling) target.liveShare.spend(liveCalls);
    }
    const now = this.o.now();
    const after = afterStep(result, {
      now,
      idleChecks: sync?.idleChecks ?? 0,
      pushWatchUntil: sync?.pushWatchUntil?.getTime() ?? null,
      eventsFlowing: flowing,
      random: this.o.random(),
      settings,
    });
    const dueAgain = await releaseLease(db, {
      pipelineId: claimed.pipelineId,
      owner: this.id,
      now: new Date(now),
      nextSyncAt: new Date(after.nextSyncAt),
      success: true,
      idleChecks: after.idleChecks,
      stateHash: after.stateHash,
      activity: after.activity,
    });
    if (dueAgain) this.dueAgain.add(claimed.pipelineId);
    await recordTargetSuccess(db, target, now);
    this.clearError(claimed.pipelineId);
    return result;
  }

  private async recordFailure(target: TargetRuntime, claimed: Claimed, error: unknown): Promise<void> {
    const { db, settings } = this.o;
    const sync = await db.pipelineSync
      .findUnique({ where: { pipelineId: claimed.pipelineId }, select: { consecutiveFailures: true } })
      .catch(() => null);
    const now = this.o.now();
    const next = afterFailure({
      now,
      consecutiveFailures: (sync?.consecutiveFailures ?? 0) + 1,
      eventsFlowing: eventsFlowing(target.lastEventAt, now, settings.eventsFreshMs),
      random: this.o.random(),
      settings,
    });
    const message = error instanceof Error ? error.message : String(error);
    await releaseLease(db, {
      pipelineId: claimed.pipelineId,
      owner: this.id,
      now: new Date(now),
      nextSyncAt: new Date(next),
      success: false,
      error: message.slice(0, 1000),
    }).catch(() => {});
    const operation = error instanceof AwsCallError ? error.operation : undefined;
    await this.reportError(claimed.pipelineId, target, error, {
      target: target.id,
      pipelineId: claimed.pipelineId,
      operation,
    });
  }

  /** Whether any pipeline of the target still backfills (re-read at most every two seconds). */
  private async backfilling(target: TargetRuntime): Promise<boolean> {
    const now = this.o.now();
    const cached = this.backfillSeen.get(target.id);
    if (cached && now - cached.at < 2_000 && now >= cached.at) return cached.value;
    const value = await targetStillBackfills(this.o.db, target.id);
    this.backfillSeen.set(target.id, { at: now, value });
    return value;
  }

  /** Gives back every lease this worker still holds (shutdown). */
  async releaseAll(): Promise<void> {
    await this.o.db.pipelineSync.updateMany({
      where: { leaseOwner: this.id },
      data: { leaseOwner: null, leaseUntil: null },
    });
    await this.o.db.target.updateMany({
      where: { discoveryLeaseOwner: this.id },
      data: { discoveryLeaseOwner: null, discoveryLeaseUntil: null },
    });
  }

  private clearError(key: string): void {
    if (this.loggedErrors.delete(key)) this.o.logger.info({ key }, "sync recovered");
  }

  /** Logs a failure once per distinct error per pipeline (or target); throttling is a warning, not an error. */
  private async reportError(
    key: string,
    target: TargetRuntime,
    error: unknown,
    context: Record<string, unknown>,
  ): Promise<void> {
    const aws = error instanceof AwsCallError ? error : null;
    const throttled = aws?.kind === "throttled";
    const message = error instanceof Error ? error.message : String(error);
    if (aws) await recordTargetError(this.o.db, target, this.o.now(), message, throttled).catch(() => {});
    const signature = aws ? `${aws.kind}:${aws.code}` : message.slice(0, 200);
    if (this.loggedErrors.get(key) === signature) return;
    this.loggedErrors.set(key, signature);
    if (throttled)
      this.o.logger.warn({ ...context, rate: target.bucket.rate }, "AWS throttled the target; slowing down");
    else this.o.logger.error({ ...context, err: error }, "sync step failed");
  }
}
