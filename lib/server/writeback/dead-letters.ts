import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { UndeliveredJobView, WritebackOverviewView, WritebackState } from "@/lib/writeback/schemas";
import { readDesired, reportName } from "./desired";

// What an administrator sees of write-back (the settings page and GET /api/admin/writeback): how many jobs are in
// each state, and the jobs that did not reach GitHub (dead letters, and those skipped because the App is not
// installed on their repository) with their last error; and the retry that sends them again.

function nameOf(desired: unknown): string {
  try {
    return reportName(readDesired(desired));
  } catch {
    return "(unreadable)";
  }
}

export async function readWritebackOverview(db: Db, options: { limit?: number } = {}): Promise<WritebackOverviewView> {
  const grouped = await db.writebackJob.groupBy({ by: ["state"], _count: { _all: true } });
  const counts: Record<WritebackState, number> = { pending: 0, delivered: 0, dead: 0, skipped: 0 };
  for (const row of grouped) if (row.state in counts) counts[row.state as WritebackState] = row._count._all;
  const rows = await db.writebackJob.findMany({
    where: { state: { in: ["dead", "skipped"] } },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: options.limit ?? 100,
    select: {
      id: true,
      state: true,
      repository: true,
      headSha: true,
      pipelineId: true,
      executionId: true,
      desired: true,
      attempts: true,
      lastError: true,
      lastStatusCode: true,
      updatedAt: true,
    },
  });
  return {
    counts,
    undelivered: rows.map(({ desired, updatedAt, state, ...row }): UndeliveredJobView => ({
      ...row,
      state: state === "skipped" ? "skipped" : "dead",
      name: nameOf(desired),
      updatedAt: updatedAt.toISOString(),
    })),
  };
}

/**
 * Sends dead or skipped jobs again (all of them when no ids are given): due at once, with their attempts at zero.
 * Jobs in any other state are left alone. Returns how many will be sent.
 */
export async function retryJobs(db: Db, input: { ids?: readonly string[]; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const result = await db.writebackJob.updateMany({
    where: { state: { in: ["dead", "skipped"] }, ...(input.ids ? { id: { in: [...input.ids] } } : {}) },
    data: { state: "pending", attempts: 0, nextAttemptAt: now, updatedAt: now },
  });
  return result.count;
}
