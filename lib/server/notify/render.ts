import "server-only";
import { createHmac } from "node:crypto";
import type { WebhookFormat } from "@/lib/notify/schemas";
import { actorLabel, noticeTitle, type Notice } from "@/lib/server/notify/notice";

// What a receiver is sent, per format. Pure: the same notice and delivery give the same body, so a retry
// repeats the first attempt's message (the timestamp header says when this attempt was made).
//
// Slack: `text` (the notification's plain fallback) and one mrkdwn section block. Every string from AWS or a
// person (pipeline and stage names, IAM identities, comments) is escaped by Slack's rules, `&`, `<`, `>`, so
// it can neither mention a channel (<!channel>) nor forge a link.
//
// json: the notice's facts, with the delivery id and timestamp inside the signed body as well, signed with
// HMAC-SHA256 of the webhook's secret over the exact bytes sent (X-Stageboard-Signature-256: sha256=<hex>).

export const SIGNATURE_HEADER = "x-stageboard-signature-256";
export const TIMESTAMP_HEADER = "x-stageboard-timestamp";
export const DELIVERY_HEADER = "x-stageboard-delivery";
export const EVENT_HEADER = "x-stageboard-event";

export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const EMOJI: Record<Notice["event"], string> = {
  "approval.waiting": ":hourglass_flowing_sand:",
  "approval.approved": ":white_check_mark:",
  "approval.rejected": ":x:",
  "execution.failed": ":rotating_light:",
  ping: ":wave:",
};

const LINK_LABEL: Record<Notice["event"], string> = {
  "approval.waiting": "Review in Stageboard",
  "approval.approved": "Open in Stageboard",
  "approval.rejected": "Open in Stageboard",
  "execution.failed": "Open the execution",
  ping: "Notification settings",
};

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function detailLines(notice: Notice): string[] {
  const lines: string[] = [];
  if (notice.repository) lines.push(`Repository: ${notice.repository}`);
  if (notice.executionId) lines.push(`Execution: ${notice.executionId}`);
  if (notice.actor && notice.actor.kind === "person" && notice.actor.name)
    lines.push(`Decided by: ${actorLabel(notice.actor)} (${notice.actor.name})`);
  if (notice.comment) lines.push(`Comment: ${clip(notice.comment, 500)}`);
  if (notice.failure) lines.push(`Reason: ${clip(notice.failure, 500)}`);
  if (notice.expiresAt && notice.event === "approval.waiting") lines.push(`Expires: ${notice.expiresAt}`);
  return lines;
}

export function renderSlack(notice: Notice): string {
  const title = noticeTitle(notice);
  // The URL is ours (built from ids, each segment encoded), but is escaped all the same.
  const link = `<${escapeSlack(notice.link)}|${LINK_LABEL[notice.event]}>`;
  const details = detailLines(notice).map(escapeSlack);
  const mrkdwn = [`${EMOJI[notice.event]} *${escapeSlack(title)}*`, ...details, link].join("\n");
  return JSON.stringify({
    text: escapeSlack(`${title} (${notice.link})`),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, 3000) } }],
  });
}

export type JsonEnvelope = { deliveryId: string; timestamp: number };

export function renderJson(notice: Notice, envelope: JsonEnvelope): string {
  const { v: _version, ...facts } = notice;
  return JSON.stringify({
    delivery: envelope.deliveryId,
    timestamp: envelope.timestamp,
    title: noticeTitle(notice),
    ...facts,
  });
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export type RenderedRequest = { body: string; headers: Record<string, string> };

/** The body and headers of one attempt; `secret` is required for json. */
export function renderRequest(input: {
  format: WebhookFormat;
  notice: Notice;
  deliveryId: string;
  secret: string | null;
  now: Date;
}): RenderedRequest {
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const common = { [DELIVERY_HEADER]: input.deliveryId, [EVENT_HEADER]: input.notice.event };
  if (input.format === "slack") return { body: renderSlack(input.notice), headers: common };
  if (!input.secret) throw new Error("a json webhook needs its signing secret");
  const body = renderJson(input.notice, { deliveryId: input.deliveryId, timestamp });
  return {
    body,
    headers: { ...common, [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(input.secret, body) },
  };
}
