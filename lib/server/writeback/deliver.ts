import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { claimJobs, CLAIM_MS, renewClaim, type Claim, type ClaimedJob } from "./claim-jobs";
import { runPool, Slots } from "./delivery-pool";
import { readDesired } from "./desired";
import { checkRunApi, type CheckRunApi, type WritebackClient } from "./github-check-runs";
import { deploymentApi, type DeploymentApi } from "./github-deployments";
import { statusApi, type StatusApi } from "./github-statuses";
import { writebackClientFor, type ClientLookup } from "./installation-clients";
import { decideAfterSend, decideWithoutClient, type JobDecision } from "./job-outcome";
import { recordOutcome } from "./record-outcome";
import { nothingSentBefore, sendCheckRun, sendDeployment, sendStatus, type SendResult } from "./send-job";

// Sends due write-back jobs: claims them as room frees up (delivery-pool.ts), finds each repository's installation
// client, and sends each job with it, several per installation at once. Every outcome is recorded on the job.

export type DeliverOptions = {
  db: Db;
  logger?: Pick<Logger, "warn">;
  now?: () => Date;
  /** Jobs in flight at once (0: send nothing). */
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

/** A claimed job on its way through the pool; `settled` tells its claim the job is recorded. */
type InFlight = { job: ClaimedJob; claimId: string; settled: () => void };

/** Jobs of one installation in flight at once: its writes still go one at a time (octokit.ts), its reads do not. */
export const PER_INSTALLATION = 8;
/** Jobs in flight per process, over all installations. */
export const POOL_WIDTH = 32;

/** Claims up to `n` due jobs and keeps the claim renewed until each of them is recorded. */
async function takeJobs(context: Context, n: number): Promise<InFlight[]> {
  const claim: Claim = await claimJobs(context.db, { limit: n, now: context.now() });
  if (!claim.jobs.length) return [];
  const renew = setInterval(() => {
    // A renewal that fails only lets the claim run out sooner; recording the outcome then says so.
    renewClaim(context.db, claim.claimId, context.now()).catch((err: unknown) =>
      context.logger?.warn({ err }, "write-back claim not renewed"),
    );
  }, CLAIM_MS / 4);
  renew.unref?.();
  let left = claim.jobs.length;
  const settled = () => {
    if (--left === 0) clearInterval(renew);
  };
  return claim.jobs.map((job) => ({ job, claimId: claim.claimId, settled }));
}

function sender(context: Context) {
  // Installations found during this run, by repository; only a ready one is kept (a failed look-up is retried).
  const clients = new Map<string, Promise<ClientLookup>>();
  const slots = new Map<number, Slots>();
  const clientOf = (repository: string) => {
    let found = clients.get(repository);
    if (!found) {
      found = lookUp(context, repository).then((lookup) => {
        if (lookup.kind !== "ready") clients.delete(repository);
        return lookup;
      });
      clients.set(repository, found);
    }
    return found;
  };
  return async ({ job, claimId, settled }: InFlight): Promise<void> => {
    const record = async (installationId: number | null, decision: JobDecision) => {
      const held = await recordOutcome(context.db, { job, claimId, installationId, now: context.now() }, decision);
      if (!held) context.logger?.warn({ jobId: job.id }, "write-back claim ran out before its outcome was recorded");
    };
    try {
      const lookup = await clientOf(job.repository);
      if (lookup.kind !== "ready") {
        await record(null, decideWithoutClient(lookup, { attempts: job.attempts, now: context.now() }));
        return;
      }
      const { client } = lookup;
      let installation = slots.get(client.installationId);
      if (!installation) slots.set(client.installationId, (installation = new Slots(PER_INSTALLATION)));
      const decision = await installation.use(() => attemptJob(context, client, job));
      await record(client.installationId, decision);
    } catch (err) {
      // Unrecorded, the job comes back when its claim runs out, with the attempt counted.
      context.logger?.warn({ err, jobId: job.id }, "write-back job not recorded");
    } finally {
      settled();
    }
  };
}

/**
 * Sends due jobs until none is due and none in flight (or `stopping`), keeping up to `limit` in flight: a job
 * recorded makes room for the next due one at once, so a report whose earlier job of the same commit and pipeline
 * was just sent goes next without waiting for the rest. Jobs of different installations go side by side; within
 * one, up to PER_INSTALLATION at a time (GitHub counts content creation per installation: the client spaces its
 * writes and reserves each in the installation's budget, content-budget.ts). Returns how many were attempted.
 */
export async function deliverDue(
  options: DeliverOptions & { nudged?: () => Promise<void>; stopping?: () => boolean },
): Promise<number> {
  const context: Context = {
    db: options.db,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
    clientFor: options.clientFor ?? ((repository) => writebackClientFor(options.db, repository)),
    api: options.api ?? writebackApi,
  };
  const width = options.limit ?? POOL_WIDTH;
  if (width <= 0) return 0;
  return runPool({
    width,
    take: (n) => takeJobs(context, n),
    run: sender(context),
    nudged: options.nudged,
    stopping: options.stopping,
  });
}
