import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { claimJobs, CLAIM_MS, renewClaim, type Claim, type ClaimedJob } from "./claim-jobs";
import { readDesired } from "./desired";
import { checkRunApi, type CheckRunApi, type WritebackClient } from "./github-check-runs";
import { deploymentApi, type DeploymentApi } from "./github-deployments";
import { statusApi, type StatusApi } from "./github-statuses";
import { writebackClientFor, type ClientLookup } from "./installation-clients";
import { decideAfterSend, decideWithoutClient, type JobDecision } from "./job-outcome";
import { recordOutcome } from "./record-outcome";
import { nothingSentBefore, sendCheckRun, sendDeployment, sendStatus, type SendResult } from "./send-job";

// Sends due write-back jobs: claims a batch, finds each repository's installation client, and works through each
// installation's jobs one after another (GitHub counts content creation per installation: the client spaces writes
// and reserves each in the installation's budget, content-budget.ts), installations side by side. Every outcome is
// recorded on the job.

export type DeliverOptions = {
  db: Db;
  logger?: Pick<Logger, "warn">;
  now?: () => Date;
  /** Jobs claimed per pass. */
  limit?: number;
  /** The client for a repository's jobs (tests may give their own). */
  clientFor?: (repository: string) => Promise<ClientLookup>;
  /** The GitHub requests for a client (tests wrap them to stop a process "mid-delivery"). */
  api?: (client: WritebackClient, repository: string) => WritebackApi;
};

export type WritebackApi = { checkRuns: CheckRunApi; statuses: StatusApi; deployments: DeploymentApi };

export function writebackApi(client: WritebackClient, repository: string): WritebackApi {
  return {
    checkRuns: checkRunApi(client, repository),
    statuses: statusApi(client, repository),
    deployments: deploymentApi(client, repository),
  };
}

type Context = Required<Omit<DeliverOptions, "logger" | "limit">> & Pick<DeliverOptions, "logger">;

async function lookUp(context: Context, repository: string): Promise<ClientLookup> {
  try {
    return await context.clientFor(repository);
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    return {
      kind: "unavailable",
      message: `GitHub could not be asked which installation reaches ${repository} (${name})`,
    };
  }
}

/** One attempt at one claimed job with its client: the decision, not yet recorded. */
export async function attemptJob(
  context: Pick<Context, "now" | "api">,
  client: WritebackClient,
  job: ClaimedJob,
): Promise<JobDecision> {
  let desired;
  try {
    desired = readDesired(job.desired);
  } catch {
    return {
      kind: "dead",
      error: "The stored desired state cannot be read",
      statusCode: null,
      remoteId: null,
      writes: 0,
    };
  }
  const api = context.api(client, job.repository);
  let result: SendResult;
  switch (desired.kind) {
    case "check-run":
      result = await sendCheckRun(
        api.checkRuns,
        { remoteId: job.remoteId, run: desired.checkRun, firstAttempt: nothingSentBefore(job) },
        context.now,
      );
      break;
    case "status":
      result = await sendStatus(api.statuses, { ...job, status: desired.status }, context.now);
      break;
    case "deployment":
      result = await sendDeployment(
        api.deployments,
        { ...job, firstAttempt: nothingSentBefore(job), deployment: desired.deployment },
        context.now,
      );
      break;
  }
  return decideAfterSend(result, { attempts: job.attempts, now: context.now() });
}

async function deliverClaim(context: Context, claim: Claim): Promise<void> {
  const record = async (job: ClaimedJob, installationId: number | null, decision: JobDecision) => {
    const held = await recordOutcome(
      context.db,
      { job, claimId: claim.claimId, installationId, now: context.now() },
      decision,
    );
    if (!held) context.logger?.warn({ jobId: job.id }, "write-back claim ran out before its outcome was recorded");
  };
  const queues = new Map<number, { client: WritebackClient; jobs: ClaimedJob[] }>();
  for (const repository of new Set(claim.jobs.map((j) => j.repository))) {
    const jobs = claim.jobs.filter((j) => j.repository === repository);
    const lookup = await lookUp(context, repository);
    if (lookup.kind !== "ready") {
      for (const job of jobs)
        await record(job, null, decideWithoutClient(lookup, { attempts: job.attempts, now: context.now() }));
      continue;
    }
    const queue = queues.get(lookup.client.installationId) ?? { client: lookup.client, jobs: [] };
    queue.jobs.push(...jobs);
    queues.set(lookup.client.installationId, queue);
  }
  await Promise.all(
    [...queues.values()].map(async ({ client, jobs }) => {
      for (const job of jobs.sort((a, b) => (a.seq < b.seq ? -1 : 1)))
        await record(job, client.installationId, await attemptJob(context, client, job));
    }),
  );
}

/** Claims up to `limit` due jobs and sends them; how many were attempted. */
export async function deliverDue(options: DeliverOptions): Promise<number> {
  const context: Context = {
    db: options.db,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
    clientFor: options.clientFor ?? ((repository) => writebackClientFor(options.db, repository)),
    api: options.api ?? writebackApi,
  };
  const claim = await claimJobs(context.db, { limit: options.limit ?? 20, now: context.now() });
  if (!claim.jobs.length) return 0;
  const renew = setInterval(() => {
    // A renewal that fails only lets the claim run out sooner; recording the outcome then says so.
    renewClaim(context.db, claim.claimId, context.now()).catch((err: unknown) =>
      context.logger?.warn({ err }, "write-back claim not renewed"),
    );
  }, CLAIM_MS / 4);
  renew.unref?.();
  try {
    await deliverClaim(context, claim);
  } finally {
    clearInterval(renew);
  }
  return claim.jobs.length;
}
