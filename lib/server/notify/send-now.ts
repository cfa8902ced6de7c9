import "server-only";
import type { AttemptView } from "@/lib/notify/schemas";
import { ApiError } from "@/lib/server/api/errors";
import type { WebhookRepository } from "@/lib/server/notify/access";
import { attemptDelivery, claimDue, type DeliverOptions } from "@/lib/server/notify/deliver";
import { buildNotice } from "@/lib/server/notify/notice";
import { findWebhook } from "@/lib/server/notify/webhooks";

// The settings page's two buttons: "Send test" and "Redeliver". Each makes its first attempt at once, in the
// request, and answers how it went; a failure that can be retried stays in the queue like any other delivery.

async function attemptNow(options: DeliverOptions, deliveryId: string): Promise<AttemptView> {
  const [claimed] = await claimDue(options.db, 1, new Date(), deliveryId);
  // Claimed by the loop of some process in the meantime: it is being sent; the log will show how it went.
  if (!claimed) return { deliveryId, status: "pending", statusCode: null, error: null };
  return attemptDelivery(options, claimed);
}

export async function sendTestNotice(
  options: DeliverOptions,
  input: { repository: WebhookRepository; webhookId: string; login: string; baseUrl: string },
): Promise<AttemptView> {
  const webhook = await findWebhook(options.db, input.repository, input.webhookId);
  const notice = buildNotice({
    event: "ping",
    occurredAt: new Date(),
    repository: input.repository.fullName,
    pipeline: null,
    executionId: null,
    stageName: null,
    actionName: null,
    actor: { kind: "person", login: input.login, name: null },
    comment: "This is a test notification sent from Stageboard's settings page.",
    expiresAt: null,
    failure: null,
    baseUrl: input.baseUrl,
  });
  const delivery = await options.db.notifyDelivery.create({
    data: { webhookId: webhook.id, event: "ping", notice },
    select: { id: true },
  });
  return attemptNow(options, delivery.id);
}

export async function redeliver(
  options: DeliverOptions,
  input: { repository: WebhookRepository; webhookId: string; deliveryId: string },
): Promise<AttemptView> {
  await findWebhook(options.db, input.repository, input.webhookId);
  const reset = await options.db.notifyDelivery.updateMany({
    where: { id: input.deliveryId, webhookId: input.webhookId, status: { not: "pending" } },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), deliveredAt: null },
  });
  if (reset.count === 0) {
    const found = await options.db.notifyDelivery.findFirst({
      where: { id: input.deliveryId, webhookId: input.webhookId },
      select: { id: true },
    });
    throw found
      ? new ApiError({ code: "conflict", message: "This delivery is still being tried; wait for it to finish" })
      : new ApiError({ code: "not_found", message: "No such delivery" });
  }
  return attemptNow(options, input.deliveryId);
}
