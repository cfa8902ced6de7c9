import "server-only";
import type { DeliveryEvent } from "@/lib/notify/schemas";
import type { FeedTx } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { buildNotice, subscriptionOf, type Notice, type NoticeActor } from "@/lib/server/notify/notice";

// Turns change feed rows into delivery rows, inside the consumer's transaction (so they commit with its cursor
// move: a crash between changes neither loses nor doubles one). Only changes that say something happened now
// count: an approval becoming Pending, Approved or Rejected, an execution becoming Failed.

type Happening = { change: ChangeRow; event: DeliveryEvent };

/** Pure: what a change means for notifications, or null. */
export function deliveryEventOf(change: ChangeRow): DeliveryEvent | null {
  const status = change.after.status;
  if (change.before?.status === status) return null;
  if (change.entity === "approval") {
    if (status === "Pending") return "approval.waiting";
    if (status === "Approved") return "approval.approved";
    if (status === "Rejected") return "approval.rejected";
    return null;
  }
  if (change.entity === "execution" && status === "Failed") return "execution.failed";
  return null;
}

export const changeKey = (change: ChangeRow) => `${change.cursor.txid}:${change.cursor.id}`;

type PipelineFacts = { id: string; name: string; githubId: bigint | null; repository: string | null };

async function pipelinesOf(tx: FeedTx, ids: string[]): Promise<Map<string, PipelineFacts>> {
  const rows = await tx.pipeline.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, repository: { select: { githubId: true, githubFullName: true, fullName: true } } },
  });
  return new Map(
    rows.map((p) => [
      p.id,
      {
        id: p.id,
        name: p.name,
        githubId: p.repository?.githubId ?? null,
        repository: p.repository ? (p.repository.githubFullName ?? p.repository.fullName) : null,
      },
    ]),
  );
}

type Facts = Pick<Notice, "actor" | "comment" | "expiresAt" | "failure">;

async function approvalFacts(tx: FeedTx, change: ChangeRow, stageName: string, actionName: string): Promise<Facts> {
  const approval = await tx.approval.findFirst({
    where: { pipelineId: change.pipelineId, executionId: change.executionId, stageName, actionName },
    orderBy: { requestedAt: "desc" },
    select: { id: true, expiresAt: true, decidedBy: true, summary: true },
  });
  if (!approval) return { actor: null, comment: null, expiresAt: null, failure: null };
  const expiresAt = approval.expiresAt?.toISOString() ?? null;
  if (change.after.status === "Pending") return { actor: null, comment: null, expiresAt, failure: null };
  // Decided through Stageboard: the person who sent it, by GitHub login (AWS only knows the shared role).
  const decision = await tx.approvalDecision.findUnique({
    where: { approvalId: approval.id },
    select: { login: true, name: true, comment: true },
  });
  const identity = approval.decidedBy ?? (typeof change.after.decidedBy === "string" ? change.after.decidedBy : null);
  const actor: NoticeActor | null = decision
    ? { kind: "person", login: decision.login, name: decision.name }
    : identity
      ? { kind: "aws", identity }
      : null;
  return { actor, comment: decision ? decision.comment || null : approval.summary, expiresAt, failure: null };
}

async function failureFacts(tx: FeedTx, change: ChangeRow): Promise<Facts & { stageName: string | null }> {
  const execution = change.executionId
    ? await tx.execution.findUnique({
        where: { pipelineId_executionId: { pipelineId: change.pipelineId, executionId: change.executionId } },
        select: {
          statusSummary: true,
          actionExecutions: {
            where: { status: "Failed" },
            orderBy: { lastUpdateTime: "desc" },
            take: 1,
            select: { stageName: true, actionName: true, errorMessage: true },
          },
        },
      })
    : null;
  const action = execution?.actionExecutions[0];
  const failure = action
    ? `${action.actionName} failed${action.errorMessage ? `: ${action.errorMessage}` : ""}`
    : (execution?.statusSummary ?? null);
  return { actor: null, comment: null, expiresAt: null, failure, stageName: action?.stageName ?? null };
}

async function noticeFor(tx: FeedTx, h: Happening, pipeline: PipelineFacts, baseUrl: string): Promise<Notice> {
  const common = {
    event: h.event,
    occurredAt: h.change.createdAt,
    repository: pipeline.repository,
    pipeline: { id: pipeline.id, name: pipeline.name },
    executionId: h.change.executionId,
    baseUrl,
  };
  if (h.change.entity === "approval") {
    const [stageName = "", actionName = ""] = (h.change.name ?? "").split("/", 2);
    const facts = await approvalFacts(tx, h.change, stageName, actionName);
    return buildNotice({ ...common, ...facts, stageName, actionName });
  }
  const { stageName, ...facts } = await failureFacts(tx, h.change);
  return buildNotice({ ...common, ...facts, stageName, actionName: null });
}

/** The consumer's handler: one delivery per relevant change and subscribed, enabled webhook of its repository. */
export async function enqueueDeliveries(tx: FeedTx, changes: ChangeRow[], baseUrl: string): Promise<number> {
  const happenings = changes.flatMap((change) => {
    const event = deliveryEventOf(change);
    return event ? [{ change, event }] : [];
  });
  if (!happenings.length) return 0;
  const pipelines = await pipelinesOf(tx, [...new Set(happenings.map((h) => h.change.pipelineId))]);
  const githubIds = [...new Set([...pipelines.values()].flatMap((p) => (p.githubId === null ? [] : [p.githubId])))];
  if (!githubIds.length) return 0;
  const webhooks = await tx.notifyWebhook.findMany({
    where: { repositoryGithubId: { in: githubIds }, enabled: true },
    select: { id: true, repositoryGithubId: true, events: true },
  });
  let created = 0;
  for (const h of happenings) {
    const pipeline = pipelines.get(h.change.pipelineId);
    if (!pipeline || pipeline.githubId === null) continue;
    const targets = webhooks.filter(
      (w) => w.repositoryGithubId === pipeline.githubId && w.events.includes(subscriptionOf(h.event)),
    );
    if (!targets.length) continue;
    const notice = await noticeFor(tx, h, pipeline, baseUrl);
    const result = await tx.notifyDelivery.createMany({
      data: targets.map((w) => ({ webhookId: w.id, event: h.event, notice, changeKey: changeKey(h.change) })),
      skipDuplicates: true,
    });
    created += result.count;
  }
  return created;
}
