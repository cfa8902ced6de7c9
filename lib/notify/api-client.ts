import { ApiClientError, requestJson } from "@/lib/http/request-json";
import type { AttemptView, CreateWebhookBody, UpdateWebhookBody, WebhookView } from "./schemas";

// The browser's side of the webhook routes. Reads forward `signal`; writes send JSON from this origin (the
// routes refuse any other) and are not retried: a second test send is for the person to ask for.

export { ApiClientError };

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await requestJson<T>(path, init)).data;
}

const base = (fullName: string) => {
  const [owner = "", name = ""] = fullName.split("/");
  return `/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/webhooks`;
};
const one = (fullName: string, webhookId: string) => `${base(fullName)}/${encodeURIComponent(webhookId)}`;
// The routes read a JSON body on every write, so even the ones that take nothing get an empty object.
const post = (body: unknown = {}) => ({ method: "POST", body: JSON.stringify(body) });

export const fetchWebhooks = (fullName: string, signal?: AbortSignal) =>
  request<WebhookView[]>(base(fullName), { signal });

export const createWebhook = (fullName: string, body: CreateWebhookBody) =>
  request<{ id: string }>(base(fullName), post(body));

export const updateWebhook = (fullName: string, webhookId: string, body: UpdateWebhookBody) =>
  request<{ id: string }>(one(fullName, webhookId), { method: "PATCH", body: JSON.stringify(body) });

export const deleteWebhook = (fullName: string, webhookId: string) =>
  request<{ id: string }>(one(fullName, webhookId), { method: "DELETE", body: "{}" });

export const sendTest = (fullName: string, webhookId: string) =>
  request<AttemptView>(`${one(fullName, webhookId)}/test`, post());

export const redeliver = (fullName: string, webhookId: string, deliveryId: string) =>
  request<AttemptView>(`${one(fullName, webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, post());
