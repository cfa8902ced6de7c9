import "server-only";
import { randomUUID } from "node:crypto";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { githubApp } from "@/lib/server/github/app";
import { decisionOf } from "@/lib/server/writeback/check-run-actions";
import { checkRunEvent, type CheckRunEvent } from "./check-run-event";
import type { DeliveryRow, HandlerOutcome } from "./handlers";

// A click on a button of Stageboard's approval run (`requested_action`) or a re-run of its execution run
// (`rerequested`). Only Stageboard's own runs count: made by this App, and known as one of its write-back jobs (by
// GitHub's id for it, or by repository, commit, external id and name when the id was never learnt). Inside the
// delivery's transaction the request is only recorded (one row per delivery) and announced: deciding it asks GitHub
// and AWS, which is done right after commit (requested-actions.ts), and after a crash by the same loop.

/** The channel the record is announced on; NOTIFY is delivered when the delivery's transaction commits. */
export const REQUESTED_ACTION_CHANNEL = "stageboard_github_requested_actions";

type JobRow = { pipelineId: string; executionId: string; kind: string; subject: string };

async function findRun(tx: FeedTx, event: CheckRunEvent): Promise<JobRow | null> {
  const [job] = await tx.$queryRaw<JobRow[]>`
    SELECT "pipelineId", "executionId", kind, subject FROM "WritebackJob"
     WHERE repository = ${event.repository} AND kind IN ('check-run.approval', 'check-run.execution')
       AND ("remoteId" = ${event.checkRunId}
            OR ("headSha" = ${event.headSha} AND "executionId" = ${event.externalId ?? ""}
                AND desired #>> '{checkRun,name}' = ${event.name}))
     ORDER BY ("remoteId" IS NOT DISTINCT FROM ${event.checkRunId}) DESC, seq DESC
     LIMIT 1`;
  return job ?? null;
}

/** What the click asks of Stageboard on this run, or why nothing (pure). */
export function requestedKind(
  event: Pick<CheckRunEvent, "action" | "identifier">,
  job: Pick<JobRow, "kind">,
): { kind: "approve" | "reject" | "retry" } | { kind: "ignored"; reason: string } {
  if (job.kind === "check-run.approval") {
    if (event.action !== "requested_action") return { kind: "ignored", reason: "an approval's run is not re-run" };
    const decision = decisionOf(event.identifier);
    return decision ? { kind: decision } : { kind: "ignored", reason: "a button Stageboard does not offer" };
  }
  if (event.action === "rerequested") return { kind: "retry" };
  return { kind: "ignored", reason: "the execution's run has no buttons" };
}

/** The stage a retry is for: the execution's failed stage as stored now ("" when none failed). */
async function failedStage(tx: FeedTx, job: JobRow): Promise<string> {
  const [row] = await tx.$queryRaw<{ stageName: string }[]>`
    SELECT s."stageName" FROM "StageExecution" s JOIN "Execution" e ON e.id = s."executionId"
     WHERE e."pipelineId" = ${job.pipelineId} AND e."executionId" = ${job.executionId} AND s.status = 'Failed'
     ORDER BY s."startTime" DESC NULLS LAST LIMIT 1`;
  return row?.stageName ?? "";
}

export async function handleCheckRun(tx: FeedTx, delivery: DeliveryRow): Promise<HandlerOutcome> {
  const parsed = checkRunEvent(delivery.payload);
  if (parsed.kind === "ignored") return parsed;
  const { event } = parsed;
  const app = await githubApp();
  if (!app || event.appId !== app.appId) return { kind: "ignored", reason: "a check run of another App" };
  const job = await findRun(tx, event);
  if (!job) return { kind: "ignored", reason: "not a check run Stageboard made" };
  const wanted = requestedKind(event, job);
  if (wanted.kind === "ignored") return wanted;
  const stageName = wanted.kind === "retry" ? await failedStage(tx, job) : job.subject;
  const id = randomUUID();
  const inserted = await tx.$executeRaw`
    INSERT INTO "GitHubRequestedAction" (id, "deliveryId", kind, "senderGithubId", "senderLogin", "installationId",
      repository, "checkRunId", "pipelineId", "executionId", "stageName")
    VALUES (${id}, ${delivery.id}, ${wanted.kind}, ${event.sender.githubId}, ${event.sender.login},
      ${event.installationId}, ${event.repository}, ${event.checkRunId}, ${job.pipelineId}, ${job.executionId},
      ${stageName})
    ON CONFLICT ("deliveryId") DO NOTHING`;
  if (inserted > 0) await tx.$executeRaw`SELECT pg_notify(${REQUESTED_ACTION_CHANNEL}, ${id})`;
  return { kind: "done" };
}
