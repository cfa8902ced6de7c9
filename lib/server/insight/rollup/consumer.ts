import "server-only";
import type { Db } from "@/lib/server/db/client";
import { consumeChanges } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { applyExecutions, type ExecutionKey } from "./apply";
import { applyTransitions } from "./holds";
import { INSIGHT_CONSUMER_LOCK } from "./lock";
import { rebuildRollups } from "./rebuild";

// The rollups' change feed consumer, with a cursor of its own: every change of an execution, stage or action (live
// or backfilled: history read late belongs in the figures too) re-applies its execution, which adds only what
// changed (apply.ts), in the transaction that moves the cursor. A consumer seen for the first time rebuilds from
// history first, so an instance upgraded with years of executions has them.

export const INSIGHT_CONSUMER = "insight-rollups";
const BATCH = 500;
const ENTITIES = new Set(["execution", "stage", "action"]);

export function touchedExecutions(changes: readonly ChangeRow[]): ExecutionKey[] {
  const seen = new Map<string, ExecutionKey>();
  for (const c of changes) {
    if (!c.executionId || !ENTITIES.has(c.entity)) continue;
    seen.set(`${c.pipelineId}\u0000${c.executionId}`, { pipelineId: c.pipelineId, executionId: c.executionId });
  }
  return [...seen.values()];
}

/** Reads the feed up to its head (or `rounds` batches); returns how many changes were read. */
export async function insightOnce(db: Db, rounds = 20): Promise<number> {
  const [known] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "ChangeConsumer" WHERE name = ${INSIGHT_CONSUMER}`;
  let read = 0;
  for (let round = 0; round < rounds; round++) {
    const result = await consumeChanges(
      db,
      INSIGHT_CONSUMER,
      async (tx, changes) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INSIGHT_CONSUMER_LOCK})`;
        await applyExecutions(tx, touchedExecutions(changes));
        await applyTransitions(tx, changes);
      },
      { limit: BATCH, timeoutMs: 60_000 },
    );
    if (round === 0 && known?.n === 0n) await rebuildRollups(db);
    if (result.kind === "busy") break;
    read += result.count;
    if (result.count < BATCH) break;
  }
  return read;
}
