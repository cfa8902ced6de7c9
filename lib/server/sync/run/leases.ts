// Work sharing through Postgres: due pipelines are claimed with FOR UPDATE SKIP LOCKED and held under a
// lease (owner + expiry), renewed while a process works on them. A dead process's leases simply run out.
import "server-only";
import type { Db } from "@/lib/server/db/client";

export interface Claimed {
  pipelineId: string;
  targetId: string;
  requested: boolean;
  /** Executions events named since the last sync, and whether any event was pipeline-level. */
  eventExecutionIds: string[];
  pipelineEvent: boolean;
}

export async function claimDue(
  db: Db,
  options: { owner: string; targetIds: string[]; now: Date; leaseMs: number; limit: number },
): Promise<Claimed[]> {
  if (options.limit <= 0 || options.targetIds.length === 0) return [];
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await db.$queryRaw<
    {
      pipelineId: string;
      targetId: string;
      requestedAt: Date | null;
      eventExecutionIds: string[] | null;
      pipelineEventPending: boolean;
    }[]
  >`
    WITH due AS (
      SELECT ps."pipelineId", p."targetId"
      FROM "PipelineSync" ps JOIN "Pipeline" p ON p."id" = ps."pipelineId"
      WHERE p."targetId" = ANY(${options.targetIds}::text[])
        AND p."deletedAt" IS NULL
        AND ps."nextSyncAt" <= ${options.now}
        AND (ps."leaseUntil" IS NULL OR ps."leaseUntil" < ${options.now})
      ORDER BY ps."nextSyncAt"
      LIMIT ${options.limit}
      FOR UPDATE OF ps SKIP LOCKED
    )
    UPDATE "PipelineSync" ps
    SET "leaseOwner" = ${options.owner}, "leaseUntil" = ${leaseUntil}, "syncStartedAt" = ${options.now}
    FROM due WHERE ps."pipelineId" = due."pipelineId"
    RETURNING ps."pipelineId", due."targetId", ps."requestedAt", ps."eventExecutionIds", ps."pipelineEventPending"`;
  return rows.map((r) => ({
    pipelineId: r.pipelineId,
    targetId: r.targetId,
    requested: r.requestedAt !== null,
    eventExecutionIds: r.eventExecutionIds ?? [],
    pipelineEvent: r.pipelineEventPending,
  }));
}

export async function renewLeases(db: Db, owner: string, pipelineIds: string[], until: Date): Promise<void> {
  if (pipelineIds.length === 0) return;
  await db.pipelineSync.updateMany({
    where: { pipelineId: { in: pipelineIds }, leaseOwner: owner },
    data: { leaseUntil: until },
  });
}

export interface Release {
  pipelineId: string;
  owner: string;
  now: Date;
  nextSyncAt: Date;
  success: boolean;
  idleChecks?: number;
  stateHash?: string;
  error?: string | null;
  activity?: boolean;
}

/**
 * Hands a pipeline back. An event that arrived while it was being synced (requestedAt after syncStartedAt)
 * keeps the earlier due time it asked for; a request the finished sync already covered is cleared.
 * Returns whether the pipeline is due again at once (such a request asked for now).
 */
export async function releaseLease(db: Db, r: Release): Promise<boolean> {
  const failureSql = r.success ? 0 : 1;
  const rows = await db.$queryRaw<{ dueNow: boolean }[]>`
    UPDATE "PipelineSync" SET
      "leaseOwner" = NULL,
      "leaseUntil" = NULL,
      "nextSyncAt" = CASE WHEN "requestedAt" IS NOT NULL AND "requestedAt" > "syncStartedAt"
                          THEN LEAST("nextSyncAt", ${r.nextSyncAt}) ELSE ${r.nextSyncAt} END,
      "eventExecutionIds" = CASE WHEN "requestedAt" IS NOT NULL AND "requestedAt" > "syncStartedAt" THEN "eventExecutionIds" ELSE ARRAY[]::text[] END,
      "pipelineEventPending" = CASE WHEN "requestedAt" IS NOT NULL AND "requestedAt" > "syncStartedAt" THEN "pipelineEventPending" ELSE false END,
      "requestedAt" = CASE WHEN "requestedAt" IS NOT NULL AND "requestedAt" > "syncStartedAt" THEN "requestedAt" ELSE NULL END,
      "lastSyncAt" = ${r.now},
      "lastSuccessAt" = CASE WHEN ${r.success} THEN ${r.now} ELSE "lastSuccessAt" END,
      "lastActivityAt" = CASE WHEN ${r.activity ?? false} THEN ${r.now} ELSE "lastActivityAt" END,
      "consecutiveFailures" = CASE WHEN ${r.success} THEN 0 ELSE "consecutiveFailures" + ${failureSql} END,
      "lastError" = ${r.success ? null : (r.error ?? null)},
      "idleChecks" = COALESCE(${r.idleChecks ?? null}::int, "idleChecks"),
      "stateHash" = COALESCE(${r.stateHash ?? null}::text, "stateHash")
    WHERE "pipelineId" = ${r.pipelineId} AND "leaseOwner" = ${r.owner}
    RETURNING "nextSyncAt" <= ${r.now} AS "dueNow"`;
  return rows[0]?.dueNow ?? false;
}
