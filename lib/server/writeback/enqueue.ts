import "server-only";
import { randomUUID } from "node:crypto";
import type { FeedTx } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import type { Desired } from "./desired";
import { loadExecutionFacts, type ExecutionKey } from "./load-facts";
import { mapCheckRuns, reportTarget, type ReportTarget } from "./map-check-runs";

// The outbox: the change feed consumer's handler turns the changes of a batch into write-back jobs, inside the
// consumer's transaction (they commit with its cursor move: a crash between changes neither loses nor doubles
// one). Each execution a batch touches is read once, as it is stored now, and mapped to the runs GitHub should
// show; each run's job keeps only that latest desired state, so changes waiting for the same run coalesce.

const ENTITIES = new Set(["execution", "stage", "action", "approval"]);

/** Pure: the executions a batch's changes touch, each once, in the order the feed first names them. */
export function touchedExecutions(changes: readonly ChangeRow[]): ExecutionKey[] {
  const seen = new Map<string, ExecutionKey>();
  for (const change of changes) {
    if (!change.executionId || !ENTITIES.has(change.entity)) continue;
    const key = `${change.pipelineId}\u0000${change.executionId}`;
    if (!seen.has(key)) seen.set(key, { pipelineId: change.pipelineId, executionId: change.executionId });
  }
  return [...seen.values()];
}

export type JobKey = ReportTarget & ExecutionKey & { kind: string; subject: string };

/**
 * Inserts the job, or gives an existing one this desired state when it differs (a change that alters nothing the
 * run shows writes nothing). A job that was done (delivered, dead, skipped) is due again at once with its attempts
 * at zero; one still pending keeps its schedule (backing off, or being sent: the sender sees the newer version
 * when it records, and sends again). Returns whether anything was written.
 */
export async function upsertJob(tx: FeedTx, key: JobKey, desired: Desired, now: Date): Promise<boolean> {
  const written = await tx.$executeRaw`
    INSERT INTO "WritebackJob"
      (id, repository, "headSha", "pipelineId", "executionId", kind, subject, desired, "nextAttemptAt", "updatedAt")
    VALUES (${randomUUID()}, ${key.repository}, ${key.headSha}, ${key.pipelineId}, ${key.executionId}, ${key.kind},
            ${key.subject}, ${JSON.stringify(desired)}::jsonb, ${now}, ${now})
    ON CONFLICT (repository, "headSha", "pipelineId", "executionId", kind, subject) DO UPDATE SET
      desired = EXCLUDED.desired,
      "desiredVersion" = "WritebackJob"."desiredVersion" + 1,
      state = 'pending',
      attempts = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob".attempts ELSE 0 END,
      "nextAttemptAt" = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob"."nextAttemptAt" ELSE ${now} END,
      "updatedAt" = ${now}
    WHERE "WritebackJob".desired IS DISTINCT FROM EXCLUDED.desired`;
  return written > 0;
}

/** The consumer's handler; how many jobs it created or changed. */
export async function enqueueWriteback(
  tx: FeedTx,
  changes: readonly ChangeRow[],
  options: { baseUrl: string; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  const facts = [];
  for (const key of touchedExecutions(changes)) {
    const loaded = await loadExecutionFacts(tx, key);
    if (loaded && reportTarget(loaded)) facts.push(loaded);
  }
  // Older executions first, so on one commit their runs are created (and so listed by GitHub) before newer ones.
  facts.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  let written = 0;
  for (const execution of facts) {
    const target = reportTarget(execution);
    if (!target) continue;
    for (const report of mapCheckRuns(execution, { baseUrl: options.baseUrl })) {
      const key = { ...target, pipelineId: execution.pipeline.id, executionId: execution.executionId };
      if (await upsertJob(tx, { ...key, kind: report.kind, subject: report.subject }, report.desired, now)) written++;
    }
  }
  return written;
}
