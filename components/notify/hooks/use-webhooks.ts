"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as api from "@/lib/notify/api-client";
import { notifyKeys } from "@/lib/notify/query-keys";
import type { CreateWebhookBody, UpdateWebhookBody, WebhookView } from "@/lib/notify/schemas";

/** The repository's webhooks; refetched every 5 s while a delivery is still being tried. */
export function useWebhooks(fullName: string, initialData: WebhookView[]) {
  return useQuery({
    queryKey: notifyKeys.webhooks(fullName),
    queryFn: ({ signal }) => api.fetchWebhooks(fullName, signal),
    initialData,
    refetchInterval: (query) =>
      query.state.data?.some((w) => w.deliveries.some((d) => d.status === "pending")) ? 5_000 : false,
  });
}

function useInvalidating<A, R>(fullName: string, run: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notifyKeys.webhooks(fullName) }),
  });
}

export const useCreateWebhook = (fullName: string) =>
  useInvalidating(fullName, (body: CreateWebhookBody) => api.createWebhook(fullName, body));

export const useUpdateWebhook = (fullName: string, webhookId: string) =>
  useInvalidating(fullName, (body: UpdateWebhookBody) => api.updateWebhook(fullName, webhookId, body));

export const useDeleteWebhook = (fullName: string, webhookId: string) =>
  useInvalidating(fullName, () => api.deleteWebhook(fullName, webhookId));

export const useSendTest = (fullName: string, webhookId: string) =>
  useInvalidating(fullName, () => api.sendTest(fullName, webhookId));

export const useRedeliver = (fullName: string, webhookId: string) =>
  useInvalidating(fullName, (deliveryId: string) => api.redeliver(fullName, webhookId, deliveryId));
