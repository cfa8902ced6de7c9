import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { AttemptView, WebhookFormat } from "@/lib/notify/schemas";
import { postWebhook, type PostOptions, type PostResult } from "@/lib/server/notify/http-post";
import { readNotice } from "@/lib/server/notify/notice";
import { renderRequest } from "@/lib/server/notify/render";
import { afterAttempt, type AttemptDecision } from "@/lib/server/notify/retry";
import { openWebhookValue } from "@/lib/server/notify/secret-box";
import type { UrlPolicy } from "@/lib/server/notify/url-policy";

// Sends due deliveries. A delivery is claimed by moving its nextAttemptAt past the attempt's deadline in one
// statement over rows locked with SKIP LOCKED, so any number of processes share the queue and none sends a
// delivery another is sending; a process that dies mid-attempt leaves the claim to run out, and the delivery
// is tried again then (delivery is at least once: receivers de-duplicate on the delivery id header).

export type DeliverOptions = {
  db: Db;
  policy: UrlPolicy;
  now?: () => Date;
  timeoutMs?: number;
  /** Replaces the HTTP request (tests of the queue alone). */
  post?: (options: PostOptions) => Promise<PostResult>;
};

/** How long a claimed attempt may take before another process may try the delivery again. */
const CLAIM_MS = 60_000;

export async function claimDue(db: Db, limit: number, now: Date, onlyId?: string): Promise<string[]> {
  const until = new Date(now.getTime() + CLAIM_MS);
  const rows = onlyId
    ? await db.$queryRaw<{ id: string }[]>`
        UPDATE "NotifyDelivery" SET "nextAttemptAt" = ${until}
        WHERE id IN (SELECT id FROM "NotifyDelivery" WHERE id = ${onlyId} AND status = 'pending'
                     FOR UPDATE SKIP LOCKED)
        RETURNING id`
    : await db.$queryRaw<{ id: string }[]>`
        UPDATE "NotifyDelivery" SET "nextAttemptAt" = ${until}
        WHERE id IN (SELECT id FROM "NotifyDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= ${now}
                     ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`;
  return rows.map((r) => r.id);
}

type Prepared = { ok: true; url: string; format: WebhookFormat; secret: string | null } | { ok: false; error: string };

function prepare(webhook: {
  id: string;
  format: string;
  enabled: boolean;
  urlSealed: string;
  secretSealed: string | null;
}): Prepared {
  if (!webhook.enabled) return { ok: false, error: "Not sent: the webhook is turned off" };
  const url = openWebhookValue(webhook.urlSealed, { column: "url", webhookId: webhook.id });
  const secret = webhook.secretSealed
    ? openWebhookValue(webhook.secretSealed, { column: "secret", webhookId: webhook.id })
    : null;
  const format: WebhookFormat = webhook.format === "json" ? "json" : "slack";
  if (!url || (format === "json" && !secret))
    return {
      ok: false,
      error: "Not sent: the stored URL or secret does not open with TOKEN_ENCRYPTION_KEY; save it again",
    };
  return { ok: true, url, format, secret };
}

/** Makes one attempt of a claimed delivery and records it; what it came to. */
export async function attemptDelivery(options: DeliverOptions, deliveryId: string): Promise<AttemptView> {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const delivery = await db.notifyDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      attempts: true,
      notice: true,
      webhook: { select: { id: true, format: true, enabled: true, urlSealed: true, secretSealed: true } },
    },
  });
  if (!delivery) return { deliveryId, status: "failed", statusCode: null, error: "No such delivery" };
  const prepared = prepare(delivery.webhook);
  let result: PostResult;
  if (!prepared.ok) {
    result = { kind: "failed", error: prepared.error, durationMs: 0, refused: true };
  } else {
    const request = renderRequest({
      format: prepared.format,
      notice: readNotice(delivery.notice),
      deliveryId: delivery.id,
      secret: prepared.secret,
      now: now(),
    });
    const post = options.post ?? postWebhook;
    result = await post({ url: prepared.url, ...request, policy: options.policy, timeoutMs: options.timeoutMs });
  }
  const attempts = delivery.attempts + 1;
  const decision = afterAttempt(attempts, result, now());
  await record(db, delivery.id, attempts, result, decision, now());
  return {
    deliveryId,
    status: decision.kind === "delivered" ? "delivered" : decision.kind === "retry" ? "pending" : "failed",
    statusCode: result.kind === "answered" ? result.status : null,
    error: decision.kind === "delivered" ? null : decision.error,
  };
}

async function record(
  db: Db,
  deliveryId: string,
  attempts: number,
  result: PostResult,
  decision: AttemptDecision,
  at: Date,
): Promise<void> {
  const statusCode = result.kind === "answered" ? result.status : null;
  const error = decision.kind === "delivered" ? null : decision.error;
  await db.$transaction([
    db.notifyAttempt.create({ data: { deliveryId, at, statusCode, error, durationMs: result.durationMs } }),
    db.notifyDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts,
        lastStatusCode: statusCode,
        lastError: error,
        ...(decision.kind === "delivered"
          ? { status: "delivered", deliveredAt: at }
          : decision.kind === "retry"
            ? { nextAttemptAt: decision.at }
            : { status: "failed" }),
      },
    }),
  ]);
}

/** Claims up to `limit` due deliveries and sends them at once; how many were attempted. */
export async function deliverDue(options: DeliverOptions, limit: number): Promise<number> {
  const ids = await claimDue(options.db, limit, (options.now ?? (() => new Date()))());
  await Promise.all(ids.map((id) => attemptDelivery(options, id)));
  return ids.length;
}
