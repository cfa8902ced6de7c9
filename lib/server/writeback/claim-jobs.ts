import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/server/db/client";

// Claiming due jobs. One statement over rows locked with SKIP LOCKED moves their nextAttemptAt past the claim and
// stamps them with the claim's id, so any number of processes share the queue and none sends a job another is
// sending. The sender renews the claim while it works (GitHub may ask it to wait); a process that dies leaves the
// claim to run out, and the job comes back then, with the attempt counted. A job is not claimed while an older job
// of the same repository, commit and pipeline is still pending: runs are created in the order they first appeared.

/**
 * How long a claim holds without renewal; renewed every CLAIM_MS / 4 while the attempt runs. Short, because it is
 * how long the reports of a process that died mid-delivery stay unsent; renewal keeps a slow attempt's claim.
 */
export const CLAIM_MS = 30_000;

export type ClaimedJob = {
  id: string;
  seq: bigint;
  repository: string;
  headSha: string;
  pipelineId: string;
  executionId: string;
  kind: string;
  subject: string;
  desired: unknown;
  /** The version being sent: what GitHub accepts is recorded as this. */
  desiredVersion: number;
  remoteId: bigint | null;
  /** Content-creating requests GitHub accepted for the job so far. */
  sends: number;
  /** Attempts at this version, this one included. */
  attempts: number;
  /** Why the last attempt failed; null when none has (or the job was since delivered). */
  lastError: string | null;
};

export type Claim = { claimId: string; jobs: ClaimedJob[] };

export async function claimJobs(db: Db, input: { limit: number; now: Date; onlyIds?: string[] }): Promise<Claim> {
  const claimId = randomUUID();
  const until = new Date(input.now.getTime() + CLAIM_MS);
  const only = input.onlyIds ?? null;
  const jobs = await db.$queryRaw<ClaimedJob[]>`
    UPDATE "WritebackJob" j
       SET "nextAttemptAt" = ${until}, "claimId" = ${claimId}, attempts = j.attempts + 1, "updatedAt" = ${input.now}
     WHERE j.id IN (
       SELECT c.id FROM "WritebackJob" c
        WHERE c.state = 'pending' AND c."nextAttemptAt" <= ${input.now}
          AND (${only}::text[] IS NULL OR c.id = ANY(${only}::text[]))
          AND NOT EXISTS (
            SELECT 1 FROM "WritebackJob" o
             WHERE o.repository = c.repository AND o."headSha" = c."headSha" AND o."pipelineId" = c."pipelineId"
               AND o.state = 'pending' AND o.seq < c.seq)
        ORDER BY c."nextAttemptAt", c.seq
        LIMIT ${input.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING j.id, j.seq, j.repository, j."headSha", j."pipelineId", j."executionId", j.kind, j.subject, j.desired,
              j."desiredVersion", j."remoteId", j.sends, j.attempts, j."lastError"`;
  jobs.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return { claimId, jobs };
}

/** Keeps a claim's jobs from being claimed again while its attempts are still running. */
export async function renewClaim(db: Db, claimId: string, now: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE "WritebackJob" SET "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_MS)}
     WHERE "claimId" = ${claimId} AND state = 'pending'`;
}
