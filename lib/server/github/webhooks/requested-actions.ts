import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import { gitHubDecisionComment, decideApproval } from "@/lib/server/control/approvals/decide";
import { retryStage } from "@/lib/server/control/commands/retry-stage";
import { runCommand } from "@/lib/server/control/run-command";
import type { Db } from "@/lib/server/db/client";
import { FEED_CHANNEL } from "@/lib/server/feed/listener";
import { nextAttempt, type RetrySchedule } from "@/lib/server/jobs/retry-schedule";
import type { Logger } from "@/lib/server/logger";
import { enqueueExecutions } from "@/lib/server/writeback/enqueue";
import { executionLinks } from "@/lib/server/writeback/map-check-runs";
import { recordedFor, refusalFor, retriedFor, type ClickResult } from "./click-outcome";

// Clicks on GitHub recorded by handle-check-run.ts, decided and sent: as soon as the delivery's transaction commits
// (its NOTIFY wakes the loop), and by any process's loop afterwards when the one that was woken died. Rows are
// claimed with SKIP LOCKED and a claim pushes the row's next attempt CLAIM_MS ahead, so processes share them row by
// row. A click is decided through the dashboard's own path (decideApproval, runCommand) with its sender as the
// actor, so it is done at most once however often it is taken up: a decision already sent is refused as decided.
// What came of it is kept on the row and shown on the run (the outbox maps the execution's reports again).

export const CLAIM_MS = 60_000;
/** GitHub or AWS not answering is tried again on this schedule, then the click is given up, saying so on the run. */
export const CLICK_RETRIES: RetrySchedule = { delaysMs: [2_000, 10_000, 60_000, 300_000] };
const BATCH = 20;

type ClickRow = {
  id: string;
  deliveryId: string;
  kind: string;
  senderGithubId: bigint;
  senderLogin: string;
  repository: string;
  pipelineId: string;
  executionId: string;
  stageName: string;
  attempts: number;
};

export type ClickOptions = { db: Db; logger: Pick<Logger, "warn" | "info">; baseUrl: string; now?: () => Date };

async function claim(db: Db, now: Date): Promise<ClickRow[]> {
  return db.$queryRaw<ClickRow[]>`
    UPDATE "GitHubRequestedAction" SET attempts = attempts + 1, "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_MS)}
     WHERE id IN (SELECT id FROM "GitHubRequestedAction" WHERE state = 'pending' AND "nextAttemptAt" <= ${now}
                   ORDER BY "createdAt", id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id, "deliveryId", kind, "senderGithubId", "senderLogin", repository, "pipelineId", "executionId",
              "stageName", attempts`;
}

type Answer = { result: ClickResult; outcome: string };

/** Codes that say "not now" rather than "no": the click is tried again. */
const TRANSIENT = new Set(["service_unavailable", "rate_limited", "internal_server_error"]);

function answerFor(row: ClickRow, error: ApiError): Answer {
  const login = row.senderLogin;
  if (error.code === "not_found") return { result: "refused", outcome: `@${login} has no access to ${row.repository}` };
  const refused = ["forbidden", "conflict", "unauthorized"].includes(error.code);
  return { result: refused ? "refused" : "failed", outcome: refusalFor(login, error.message) };
}

async function act(options: ClickOptions, row: ClickRow): Promise<Answer> {
  const { db } = options;
  const sender = { githubId: row.senderGithubId, login: row.senderLogin };
  const requestId = `github-${row.deliveryId}`.slice(0, 100);
  if (row.kind === "retry") {
    if (!row.stageName)
      return { result: "refused", outcome: refusalFor(row.senderLogin, "this execution has no failed stage to retry") };
    const body = {
      kind: "retry-stage",
      stageName: row.stageName,
      executionId: row.executionId,
      retryMode: "FAILED_ACTIONS",
    } as const;
    await runCommand(
      {
        sender,
        requestId,
        pipelineId: row.pipelineId,
        kind: "retry-stage",
        stageName: row.stageName,
        executionId: row.executionId,
        params: body,
      },
      retryStage(body),
      { db, operation: "RetryStageExecution" },
    );
    return { result: "succeeded", outcome: retriedFor(row.senderLogin, row.stageName) };
  }
  const decision = row.kind === "reject" ? "reject" : "approve";
  const approval =
    (await db.approval.findFirst({
      where: { pipelineId: row.pipelineId, executionId: row.executionId, stageName: row.stageName, status: "Pending" },
      orderBy: { requestedAt: "desc" },
    })) ??
    (await db.approval.findFirst({
      where: { pipelineId: row.pipelineId, executionId: row.executionId, stageName: row.stageName },
      orderBy: { requestedAt: "desc" },
    }));
  if (!approval)
    return { result: "refused", outcome: refusalFor(row.senderLogin, "this approval is not known to Stageboard") };
  const writeCommentAt = executionLinks(options.baseUrl, row.pipelineId, row.executionId).execution;
  const outcome = await decideApproval(
    { sender, requestId, approvalId: approval.id, decision, writeCommentAt },
    { db },
  );
  if (outcome.result === "recorded")
    return { result: "recorded", outcome: recordedFor(row.senderLogin, outcome.message) };
  return { result: "succeeded", outcome: gitHubDecisionComment(decision, row.senderLogin) };
}

/** The row's answer, and the run's report mapped again so GitHub shows it (coalescing with any pending one). */
async function finish(options: ClickOptions, row: ClickRow, answer: Answer & { state: "done" | "failed" }, now: Date) {
  await options.db.$transaction(async (tx) => {
    await tx.gitHubRequestedAction.update({
      where: { id: row.id },
      data: { state: answer.state, result: answer.result, outcome: answer.outcome.slice(0, 2_000), processedAt: now },
    });
    await enqueueExecutions(tx, [{ pipelineId: row.pipelineId, executionId: row.executionId }], {
      baseUrl: options.baseUrl,
      now,
    });
    // Wakes the write-back loops as a change would.
    await tx.$executeRaw`SELECT pg_notify(${FEED_CHANNEL}, '')`;
  });
}

async function processOne(options: ClickOptions, row: ClickRow): Promise<void> {
  let answer: Answer;
  try {
    answer = await act(options, row);
  } catch (error) {
    if (error instanceof ApiError && !TRANSIENT.has(error.code)) answer = answerFor(row, error);
    else {
      const now = (options.now ?? (() => new Date()))();
      options.logger.warn({ err: error, click: row.id, kind: row.kind }, "a click on GitHub could not be done yet");
      const decision = nextAttempt(CLICK_RETRIES, { attempts: row.attempts, now });
      if (decision.kind === "retry") {
        await options.db.gitHubRequestedAction.update({ where: { id: row.id }, data: { nextAttemptAt: decision.at } });
        return;
      }
      const why = error instanceof ApiError ? error.message : "GitHub or AWS did not answer";
      await finish(options, row, { state: "failed", result: "failed", outcome: refusalFor(row.senderLogin, why) }, now);
      return;
    }
  }
  await finish(options, row, { state: "done", ...answer }, (options.now ?? (() => new Date()))());
}

/** One pass over the due clicks; `again` when a full batch was claimed (more may be due). */
export async function processClicks(options: ClickOptions): Promise<{ processed: number; again: boolean }> {
  const now = (options.now ?? (() => new Date()))();
  const claimed = await claim(options.db, now);
  for (const row of claimed) {
    try {
      await processOne(options, row);
    } catch (err) {
      // The database failed while recording: the claim's expiry brings the row back.
      options.logger.warn({ err, click: row.id }, "a click on GitHub was not recorded as done");
    }
  }
  return { processed: claimed.length, again: claimed.length === BATCH };
}
