import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAttempt, recordOutcome } from "@/lib/server/control/audit/record";
import { requestResync } from "@/lib/server/control/resync";
import { githubApp, installationClient } from "@/lib/server/github/app";
import { startWakeableLoop, type WakeableLoop } from "@/lib/server/jobs/wakeable-loop";
import type { Logger } from "@/lib/server/logger";
import { publicBaseUrl } from "@/lib/server/notify/settings";
import { evaluateDueCommits, type GateDeps, type GatePipeline, type StartOutcome } from "./evaluate-commits";
import { readCommitChecks, readRequiredChecks } from "./read-checks";
import { startCommit } from "./start-commit";
import { gateDue } from "./wake";

// The release gate's loop as the app and the worker run it, beside the webhook deliveries' loop, which wakes it
// as soon as a delivery made a commit due; otherwise every TICK_MS for the looks that back up lost deliveries.

const TICK_MS = 2_000;

/** Who the audit log names for the gate's releases (no person decided them). */
export const GATE_ACTOR = { githubId: null, login: "release gate" } as const;

async function installation(repository: string, db: Db) {
  const found = await installationClient(repository, { mode: "background", db });
  if (found.kind !== "installed") throw new Error(found.message);
  return found.octokit;
}

async function audit(db: Db, pipeline: GatePipeline, row: { sha: string; passed: string[] }, outcome: StartOutcome) {
  const checks = row.passed.length > 0 ? `checks ${row.passed.join(", ")} passed` : "its checks passed";
  const attemptId = await recordAttempt(db, {
    actor: GATE_ACTOR,
    action: "gate-release",
    subject: {
      repository: pipeline.repository,
      repositoryGithubId: pipeline.repositoryGithubId,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      executionId: outcome.kind === "started" ? outcome.executionId : null,
    },
    parameters: { sha: row.sha, checks: row.passed },
    comment: `released by the gate after ${checks}`,
    requestId: null,
  });
  await recordOutcome(
    db,
    attemptId,
    outcome.kind === "started"
      ? { outcome: "succeeded", awsRequestId: outcome.awsRequestId }
      : { outcome: "failed", error: outcome.kind === "refused" ? outcome.reason : outcome.message },
  );
}

export function gateDeps(db: Db, logger: Pick<Logger, "warn" | "info">, ownAppId: number | null): GateDeps {
  return {
    db,
    logger,
    ownAppId,
    baseUrl: publicBaseUrl(),
    readChecks: async (repository, sha) => readCommitChecks(await installation(repository, db), repository, sha),
    readRequired: async (repository, branch) =>
      readRequiredChecks(await installation(repository, db), repository, branch),
    start: (pipeline, sha) => startCommit(db, pipeline, sha),
    audit: (pipeline, row, outcome) => audit(db, pipeline, row, outcome),
    resync: (pipelineId) => requestResync(db, pipelineId),
  };
}

export function startReleaseGate(db: Db, logger: Logger): WakeableLoop {
  return startWakeableLoop({
    name: "release gate",
    logger,
    tickMs: TICK_MS,
    signals: (wake) => gateDue.on(wake),
    pass: async () => {
      // Without an App, no webhook arrives and no commit waits.
      const app = await githubApp();
      if (!app) return { again: false };
      return evaluateDueCommits(gateDeps(db, logger, app.appId));
    },
  });
}
