import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { arrivedCommit, gateWatches, touchedCommit } from "./decide/gate-events";

// The release gate's part of a webhook delivery, inside the transaction that marks the delivery processed (so a
// crash loses no commit and counts none twice). GitHub is not asked anything here: the evaluation loop
// (evaluate-commits.ts) reads the commit's checks once the transaction has committed.

/** GitHub makes its check suites as the push arrives; the first look waits a moment so they exist. */
export const FIRST_EVALUATION_MS = 1_000;

export type GateEventOutcome = { waiting: number; due: number };

export async function recordGateEvent(
  tx: FeedTx,
  delivery: { event: string; payload: unknown },
  now: Date,
  ownAppId: number | null,
): Promise<GateEventOutcome> {
  const outcome: GateEventOutcome = { waiting: 0, due: 0 };
  const arrived = arrivedCommit(delivery.event, delivery.payload);
  if (arrived) {
    const gates = await tx.$queryRaw<{ pipelineId: string; branches: string[]; sourceBranch: string | null }[]>`
      SELECT g."pipelineId", g.branches, p."sourceBranch"
        FROM "ReleaseGate" g JOIN "Pipeline" p ON p.id = g."pipelineId" JOIN "Repository" r ON r.id = p."repositoryId"
       WHERE g.enabled AND p."deletedAt" IS NULL
         AND lower(COALESCE(r."githubFullName", r."fullName")) = ${arrived.repository}`;
    const ids = gates.filter((g) => gateWatches(g, arrived.branch)).map((g) => g.pipelineId);
    if (ids.length > 0) {
      // Ordered by the commit's own time when the delivery says it (deliveries can arrive out of order), else now.
      // A second witness of the same commit (the push after its check suite) only brings the commit's time.
      outcome.waiting = await tx.$executeRaw`
        INSERT INTO "GateCommit" (id, "pipelineId", repository, sha, branch, "pushedAt", "dueAt", "updatedAt")
        SELECT gen_random_uuid()::text, id, ${arrived.repository}, ${arrived.sha}, ${arrived.branch},
               ${arrived.committedAt ?? now}, ${new Date(now.getTime() + FIRST_EVALUATION_MS)}, ${now}
          FROM unnest(${ids}::text[]) AS id
        ON CONFLICT ("pipelineId", sha) DO UPDATE SET "pushedAt" = EXCLUDED."pushedAt", "updatedAt" = ${now}
         WHERE ${arrived.committedAt !== null} AND "GateCommit".state IN ('waiting', 'blocked', 'green')`;
    }
  }
  const touched = touchedCommit(delivery.event, delivery.payload);
  // Stageboard's own runs (its gate's and its executions' reports) change nothing the gate counts.
  if (touched && (ownAppId === null || touched.appId !== ownAppId)) {
    outcome.due = await tx.$executeRaw`
      UPDATE "GateCommit" SET "dueAt" = ${now}, "updatedAt" = ${now}
       WHERE repository = ${touched.repository} AND sha = ${touched.sha} AND state IN ('waiting', 'blocked', 'green')`;
  }
  return outcome;
}
