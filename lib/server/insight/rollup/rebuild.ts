import "server-only";
import type { Db } from "@/lib/server/db/client";
import { applyExecutions } from "./apply";
import { FINAL_EXECUTION } from "./contribution";
import { INSIGHT_CONSUMER_LOCK } from "./lock";

// Rebuilds the execution rollups from the stored history (npm run insight:rebuild): empties them, then applies every
// finished execution in batches. Each step holds the insight consumer's cursor row, so the consumer waits instead of
// applying an execution at the same time; what it applies later is idempotent against what the rebuild stored.
// Held-transition rows come only from the feed and are kept.

const BATCH = 500;

export async function rebuildRollups(db: Db, onProgress?: (done: number) => void): Promise<number> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INSIGHT_CONSUMER_LOCK})`;
    await tx.$executeRaw`DELETE FROM "InsightDaily" WHERE kind <> 'held'`;
    await tx.$executeRaw`TRUNCATE "InsightHistogram", "InsightDeployment", "InsightApplied"`;
  });
  let after = "";
  let done = 0;
  for (;;) {
    const page = await db.execution.findMany({
      where: { id: { gt: after }, status: { in: [...FINAL_EXECUTION] } },
      orderBy: { id: "asc" },
      select: { id: true, pipelineId: true, executionId: true },
      take: BATCH,
    });
    if (page.length === 0) break;
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INSIGHT_CONSUMER_LOCK})`;
        await applyExecutions(tx, page);
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    done += page.length;
    after = page[page.length - 1]!.id;
    onProgress?.(done);
  }
  return done;
}
