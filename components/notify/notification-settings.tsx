"use client";

import { EmptyState } from "@/components/ui/empty-state";
import { CARD, MUTED } from "@/components/ui/styles";
import type { WebhookView } from "@/lib/notify/schemas";
import { useWebhooks } from "./hooks/use-webhooks";
import { WebhookCard } from "./webhook-card";
import { WebhookForm } from "./webhook-form";

/** The repository's notification webhooks, each with its delivery log, and the form that adds one. */
export function NotificationSettings({
  fullName,
  initialData,
}: Readonly<{ fullName: string; initialData: WebhookView[] }>) {
  const { data: webhooks } = useWebhooks(fullName, initialData);
  return (
    <div className="space-y-6">
      <p className={`max-w-3xl text-sm ${MUTED}`}>
        Notices for approvals waiting, approvals decided (naming the person) and failed executions of this
        repository&apos;s pipelines, each with a link back to Stageboard. Failed deliveries are retried for about 30
        minutes.
      </p>
      {webhooks.length ? (
        webhooks.map((webhook) => <WebhookCard key={webhook.id} fullName={fullName} webhook={webhook} />)
      ) : (
        <EmptyState title="No webhooks yet">Add one below to send notices to Slack or your own receiver.</EmptyState>
      )}
      <section className={`${CARD} p-4`}>
        <h2 className="mb-3 font-semibold">Add a webhook</h2>
        <WebhookForm fullName={fullName} />
      </section>
    </div>
  );
}
