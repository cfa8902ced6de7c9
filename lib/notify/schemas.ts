import { z } from "zod";
import { repositoryParamsSchema } from "@/lib/pipelines/schemas";

// What the notifications settings page and its routes agree on: the bodies that create and change a
// repository's outgoing webhooks, and the shapes the routes answer with. Isomorphic: no secret ever appears in
// an answer (a webhook's URL is shown only as its hint, its signing secret not at all).

/** slack: Slack's incoming-webhook format; json: a generic JSON body signed with HMAC-SHA256. */
export const WEBHOOK_FORMATS = ["slack", "json"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** What a webhook can subscribe to; "approval.decided" covers both approved and rejected. */
export const WEBHOOK_EVENTS = ["approval.waiting", "approval.decided", "execution.failed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "approval.waiting": "Approval waiting",
  "approval.decided": "Approved / rejected",
  "execution.failed": "Execution failed",
};

/** What one delivery reports: the subscribed events, split by outcome, and the settings page's test. */
export const DELIVERY_EVENTS = [
  "approval.waiting",
  "approval.approved",
  "approval.rejected",
  "execution.failed",
  "ping",
] as const;
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

const url = z.string().trim().min(1, "a URL is required").max(2048, "must be at most 2,048 characters");
/** A receiver's HMAC key: long enough that guessing it is hopeless, short enough to paste. */
const secret = z
  .string()
  .min(24, "must be at least 24 characters (use Generate)")
  .max(256, "must be at most 256 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
const events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, "choose at least one event")
  .transform((list) => [...new Set(list)]);

/** POST /api/repositories/[owner]/[name]/webhooks */
export const createWebhookBodySchema = z.discriminatedUnion("format", [
  z.object({ format: z.literal("slack"), url, events }),
  z.object({ format: z.literal("json"), url, events, secret }),
]);
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

/** PATCH /api/repositories/[owner]/[name]/webhooks/[webhookId]: only what is given changes. */
export const updateWebhookBodySchema = z
  .object({
    url: url.optional(),
    events: events.optional(),
    enabled: z.boolean().optional(),
    secret: secret.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: "nothing to change" });
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

export const webhookParamsSchema = repositoryParamsSchema.extend({ webhookId: z.string().regex(/^[\w-]{1,64}$/) });
export const deliveryParamsSchema = webhookParamsSchema.extend({ deliveryId: z.string().regex(/^[\w-]{1,64}$/) });

export interface DeliveryView {
  id: string;
  event: DeliveryEvent;
  /** One line: "Approval waiting: web-app / Prod / Approve". */
  title: string;
  createdAt: string;
  /** pending | delivered | failed */
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface WebhookView {
  id: string;
  format: WebhookFormat;
  /** The URL's origin and its last characters, never the whole URL. */
  urlHint: string;
  hasSecret: boolean;
  events: WebhookEvent[];
  enabled: boolean;
  createdByLogin: string;
  createdAt: string;
  deliveries: DeliveryView[];
}

/** What a test send or a redelivery answers: how the attempt went. */
export interface AttemptView {
  deliveryId: string;
  status: DeliveryView["status"];
  statusCode: number | null;
  error: string | null;
}
