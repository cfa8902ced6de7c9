import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { ClaimedJob } from "./claim-jobs";
import type { JobDecision } from "./job-outcome";

// Records how an attempt went, only while the attempt's claim still holds the job (a claim that ran out is
// another process's now). Each statement reads the row as it is when it runs: when the feed gave the job a newer
// desired state during the attempt, the job stays pending and is due at once, with its attempts at zero, so only
// the latest state is ever left standing on GitHub. Returns whether the claim still held.

type Recorded = { job: ClaimedJob; claimId: string; installationId: number | null; now: Date };

export async function recordOutcome(db: Db, at: Recorded, decision: JobDecision): Promise<boolean> {
  const { job, claimId, now } = at;
  const installationId = at.installationId === null ? null : BigInt(at.installationId);
  const version = job.desiredVersion;
  let written: number;
  switch (decision.kind) {
    case "delivered":
      written = await db.$executeRaw`
        UPDATE "WritebackJob" SET
          "remoteId" = COALESCE(${decision.remoteId}, "remoteId"), "installationId" = ${installationId},
          "sentVersion" = ${version}, sends = sends + ${decision.writes},
          state = CASE WHEN "desiredVersion" > ${version} THEN 'pending' ELSE 'delivered' END,
          attempts = CASE WHEN "desiredVersion" > ${version} THEN 0 ELSE attempts END,
          "nextAttemptAt" = ${now}, "deliveredAt" = ${now}, "lastError" = NULL, "lastStatusCode" = NULL,
          "claimId" = NULL, "updatedAt" = ${now}
        WHERE id = ${job.id} AND "claimId" = ${claimId}`;
      break;
    case "retry":
      written = await db.$executeRaw`
        UPDATE "WritebackJob" SET
          "remoteId" = COALESCE(${decision.remoteId}, "remoteId"), sends = sends + ${decision.writes},
          "installationId" = COALESCE(${installationId}, "installationId"),
          attempts = attempts - ${decision.countsAttempt ? 0 : 1}, "nextAttemptAt" = ${decision.at},
          "lastError" = ${decision.error}, "lastStatusCode" = ${decision.statusCode}, "claimId" = NULL,
          "updatedAt" = ${now}
        WHERE id = ${job.id} AND "claimId" = ${claimId}`;
      break;
    case "dead":
    case "skipped": {
      const statusCode = decision.kind === "dead" ? decision.statusCode : null;
      const remoteId = decision.kind === "dead" ? decision.remoteId : null;
      const writes = decision.kind === "dead" ? decision.writes : 0;
      written = await db.$executeRaw`
        UPDATE "WritebackJob" SET
          "remoteId" = COALESCE(${remoteId}, "remoteId"), sends = sends + ${writes},
          "installationId" = COALESCE(${installationId}, "installationId"),
          state = CASE WHEN "desiredVersion" > ${version} THEN 'pending' ELSE ${decision.kind === "dead" ? "dead" : "skipped"} END,
          attempts = CASE WHEN "desiredVersion" > ${version} THEN 0 ELSE attempts END,
          "nextAttemptAt" = ${now}, "lastError" = ${decision.error}, "lastStatusCode" = ${statusCode},
          "claimId" = NULL, "updatedAt" = ${now}
        WHERE id = ${job.id} AND "claimId" = ${claimId}`;
      break;
    }
  }
  return written > 0;
}
