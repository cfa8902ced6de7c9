import "server-only";
import { z } from "zod";
import { DELIVERY_EVENTS, type DeliveryEvent } from "@/lib/notify/schemas";

// A notice: the facts one delivery is rendered from, stored as JSON on NotifyDelivery.notice. This module owns
// that shape (a versioned schema and the only reader); the message itself (Slack or JSON) is rendered from it
// at each attempt, so every retry of a delivery says the same thing.

const actorSchema = z.discriminatedUnion("kind", [
  /** A person who decided through Stageboard: their GitHub login. */
  z.object({ kind: z.literal("person"), login: z.string(), name: z.string().nullable() }),
  /** Decided in the AWS console or API: the IAM identity AWS reports. */
  z.object({ kind: z.literal("aws"), identity: z.string() }),
]);
export type NoticeActor = z.infer<typeof actorSchema>;

export const noticeSchema = z.object({
  v: z.literal(1),
  event: z.enum(DELIVERY_EVENTS),
  occurredAt: z.string(),
  repository: z.string().nullable(),
  /** Null for the settings page's test notice. */
  pipeline: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** AWS pipeline execution id. */
  executionId: z.string().nullable(),
  stageName: z.string().nullable(),
  actionName: z.string().nullable(),
  actor: actorSchema.nullable(),
  /** The decider's comment, or what AWS recorded as the approval's summary. */
  comment: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Why an execution failed, as AWS words it. */
  failure: z.string().nullable(),
  /** The page in Stageboard that shows it. */
  link: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export function readNotice(stored: unknown): Notice {
  return noticeSchema.parse(stored);
}

/**
 * Deep link into Stageboard: the execution's page when there is one (it shows the approval panel), else the
 * pipeline's, else (the test notice) the repository's notification settings.
 */
export function noticeLink(baseUrl: string, at: Pick<Notice, "pipeline" | "executionId" | "repository">): string {
  const base = baseUrl.replace(/\/+$/, "");
  if (!at.pipeline) {
    const [owner = "", name = ""] = (at.repository ?? "").split("/");
    return `${base}/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/settings/notifications`;
  }
  const pipeline = `${base}/pipelines/${encodeURIComponent(at.pipeline.id)}`;
  return at.executionId ? `${pipeline}/executions/${encodeURIComponent(at.executionId)}` : pipeline;
}

export type NoticeInput = Omit<Notice, "v" | "link" | "occurredAt"> & { occurredAt: Date; baseUrl: string };

export function buildNotice(input: NoticeInput): Notice {
  const { baseUrl, occurredAt, ...facts } = input;
  return {
    v: 1,
    ...facts,
    occurredAt: occurredAt.toISOString(),
    link: noticeLink(baseUrl, facts),
  };
}

/** Which subscription a delivery event belongs to. */
export function subscriptionOf(event: DeliveryEvent): string {
  return event === "approval.approved" || event === "approval.rejected" ? "approval.decided" : event;
}

/** One line for the delivery log and message titles. */
export function noticeTitle(notice: Notice): string {
  const where = [notice.pipeline?.name, notice.stageName, notice.actionName].filter(Boolean).join(" / ");
  const who = notice.actor ? ` by ${actorLabel(notice.actor)}` : "";
  switch (notice.event) {
    case "approval.waiting":
      return `Approval waiting: ${where}`;
    case "approval.approved":
      return `Approved${who}: ${where}`;
    case "approval.rejected":
      return `Rejected${who}: ${where}`;
    case "execution.failed":
      return `Execution failed: ${where}`;
    case "ping":
      return `Test notification for ${notice.repository ?? "a repository"}`;
  }
}

export function actorLabel(actor: NoticeActor): string {
  return actor.kind === "person" ? `@${actor.login}` : actor.identity;
}
