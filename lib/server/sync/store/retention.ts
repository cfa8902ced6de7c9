// Optional pruning (SYNC_RETENTION_DAYS): executions that started before the cutoff go, with their stage,
// action and rule executions (cascade). By default history is kept indefinitely. Bookkeeping (sessions,
// processed event ids, …) is pruned whatever this says: housekeeping/prune-bookkeeping.ts.
import "server-only";
import type { Db } from "@/lib/server/db/client";

export async function pruneHistory(db: Db, retentionDays: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  // Small batches keep each delete short; only finished executions are pruned.
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const batch = await db.execution.findMany({
      where: { startTime: { lt: cutoff }, completedAt: { not: null } },
      select: { id: true },
      take: 1000,
    });
    if (batch.length === 0) break;
    const { count } = await db.execution.deleteMany({ where: { id: { in: batch.map((b) => b.id) } } });
    total += count;
  }
  return total;
}
