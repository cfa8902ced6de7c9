// Records every status transition the sandbox makes (wrapping its change hook) and measures how long
// each takes to show up in Postgres: an execution or action row whose lastUpdateTime has reached the
// change's time has seen it. Freshness counts changes of executions already known to Postgres (work in
// progress); the first sight of a new execution on an idle pipeline is timed apart, as discovery latency,
// and so are changes caused by a person answering a manual approval outside Stageboard (everything that
// happens to the execution at the instant the approval action finishes): those are found by the backed-off
// checks of a waiting pipeline, not by active polling.
import type { Sandbox } from "@/sandbox";
import type { Db } from "@/lib/server/db/client";

interface Pending {
  level: "pipeline" | "action";
  executionId: string;
  actionExecutionId?: string;
  at: number;
  known: boolean;
}

export class ChangeTracker {
  total = 0;
  private pending: Pending[] = [];
  readonly latencies: number[] = [];
  readonly discovery: number[] = [];
  readonly approvals: number[] = [];
  /** The slowest changes, for a verbose run's diagnosis. */
  readonly slowest: { latency: number; level: string; executionId: string; action?: string; at: number }[] = [];
  private readonly known = new Set<string>();
  private enabled = false;

  constructor(sandbox: Sandbox) {
    const world = sandbox.world;
    const original = world.onChange;
    world.onChange = (change) => {
      original(change);
      if (!this.enabled) return;
      this.total++;
      const at = world.clock.now();
      const known = this.known.has(change.exec.id);
      if (change.level === "pipeline") this.pending.push({ level: "pipeline", executionId: change.exec.id, at, known });
      else if (change.level === "action" && change.actionRunId)
        this.pending.push({
          level: "action",
          executionId: change.exec.id,
          actionExecutionId: change.actionRunId,
          at,
          known,
        });
    };
  }

  start(): void {
    this.enabled = true;
    this.total = 0;
  }

  stop(): void {
    this.enabled = false;
    this.pending = [];
  }

  /** Checks pending changes against Postgres at simulated time `now`; a change seen is timed and dropped. */
  async check(db: Db, now: number): Promise<void> {
    if (this.pending.length === 0) return;
    const executionIds = [...new Set(this.pending.map((p) => p.executionId))];
    const executions = await db.execution.findMany({
      where: { executionId: { in: executionIds } },
      select: { executionId: true, lastUpdateTime: true },
    });
    const execAt = new Map(executions.map((e) => [e.executionId, e.lastUpdateTime.getTime()]));
    for (const e of executions) this.known.add(e.executionId);
    const actionIds = this.pending.flatMap((p) => (p.actionExecutionId ? [p.actionExecutionId] : []));
    const actions = actionIds.length
      ? await db.actionExecution.findMany({
          where: { actionExecutionId: { in: actionIds } },
          select: {
            actionExecutionId: true,
            lastUpdateTime: true,
            category: true,
            execution: { select: { executionId: true } },
          },
        })
      : [];
    const actionAt = new Map(actions.map((a) => [a.actionExecutionId, a.lastUpdateTime?.getTime() ?? -1]));
    const approvalMoments = new Set(
      actions
        .filter((a) => a.category === "Approval" && a.lastUpdateTime)
        .map((a) => `${a.execution.executionId}@${a.lastUpdateTime?.getTime()}`),
    );
    this.pending = this.pending.filter((p) => {
      const stored = p.level === "pipeline" ? execAt.get(p.executionId) : actionAt.get(p.actionExecutionId ?? "");
      if (stored === undefined || stored < p.at) return true;
      const bucket = !p.known
        ? this.discovery
        : approvalMoments.has(`${p.executionId}@${p.at}`)
          ? this.approvals
          : this.latencies;
      bucket.push(now - p.at);
      if (bucket !== this.latencies) return false;
      if (p.known && now - p.at > 6_000)
        this.slowest.push({
          latency: now - p.at,
          level: p.level,
          executionId: p.executionId,
          action: p.actionExecutionId,
          at: p.at,
        });
      return false;
    });
  }

  p95(values = this.latencies): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
  }
}
