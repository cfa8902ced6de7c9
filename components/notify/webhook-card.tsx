"use client";

import { useState } from "react";
import { CARD, MUTED } from "@/components/ui/styles";
import { WEBHOOK_EVENT_LABELS, type AttemptView, type WebhookView } from "@/lib/notify/schemas";
import { DeliveryLog } from "./delivery-log";
import { useDeleteWebhook, useRedeliver, useSendTest, useUpdateWebhook } from "./hooks/use-webhooks";

const ACTION =
  "rounded-md border border-zinc-300 px-2.5 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-600";

function attemptText(attempt: AttemptView): string {
  if (attempt.status === "delivered") return `Delivered (HTTP ${attempt.statusCode ?? "?"}).`;
  if (attempt.status === "failed") return `Not delivered: ${attempt.error ?? "failed"}.`;
  return attempt.error ? `Not delivered yet: ${attempt.error}; it will be tried again.` : "Being sent…";
}

/** One webhook: what it sends where, its switches, and its delivery log. */
export function WebhookCard({ fullName, webhook }: Readonly<{ fullName: string; webhook: WebhookView }>) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const update = useUpdateWebhook(fullName, webhook.id);
  const remove = useDeleteWebhook(fullName, webhook.id);
  const test = useSendTest(fullName, webhook.id);
  const again = useRedeliver(fullName, webhook.id);
  const status = test.isSuccess
    ? `Test: ${attemptText(test.data)}`
    : again.isSuccess
      ? `Redelivery: ${attemptText(again.data)}`
      : [test, again, update, remove].find((m) => m.isError)?.error?.message;

  return (
    <section className={`${CARD} space-y-3 p-4`} aria-label={`Webhook ${webhook.urlHint}`} data-testid="webhook">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium break-all">
            {webhook.format === "slack" ? "Slack" : "Signed JSON"} ·{" "}
            <span className="font-mono">{webhook.urlHint}</span>
          </p>
          <p className={`text-sm ${MUTED}`}>
            {webhook.events.map((e) => WEBHOOK_EVENT_LABELS[e]).join(", ")} · added by @{webhook.createdByLogin}
            {webhook.enabled ? "" : " · turned off"}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="button" className={ACTION} disabled={test.isPending} onClick={() => test.mutate(undefined)}>
            {test.isPending ? "Sending…" : "Send test"}
          </button>
          <button
            type="button"
            className={ACTION}
            disabled={update.isPending}
            onClick={() => update.mutate({ enabled: !webhook.enabled })}
          >
            {webhook.enabled ? "Turn off" : "Turn on"}
          </button>
          {confirmDelete ? (
            <>
              <button
                type="button"
                className={`${ACTION} border-red-300 text-red-800 dark:border-red-800 dark:text-red-200`}
                onClick={() => remove.mutate(undefined)}
              >
                Delete it and its delivery log
              </button>
              <button type="button" className={ACTION} onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className={ACTION} onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )}
        </div>
      </div>
      <p role="status" aria-live="polite" className="text-sm" data-testid="webhook-status">
        {status}
      </p>
      <DeliveryLog
        deliveries={webhook.deliveries}
        redelivering={again.isPending ? (again.variables ?? null) : null}
        onRedeliver={(deliveryId) => again.mutate(deliveryId)}
      />
    </section>
  );
}
