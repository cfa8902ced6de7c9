import "server-only";
import { Webhooks } from "@octokit/webhooks";
import { discardBody, readBodyCapped, type RequestBody } from "@/lib/server/api/read-body";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { deliveryFacts } from "./delivery-facts";

// POST /api/github/webhooks without Next: the GitHub App's webhook deliveries. The headers are checked first, the
// body is read only up to GitHub's own 25 MB cap, its signature is verified (with @octokit/webhooks, over the raw
// bytes) before it is parsed, and the delivery is stored by its X-GitHub-Delivery id before the answer: what
// GitHub was told is accepted survives a crash, and a delivery seen before (GitHub's redelivery, a proxy's retry)
// is answered without being stored twice. The work itself happens afterwards (process-deliveries.ts), so the
// answer comes well within GitHub's 10 seconds.

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/** The channel the receiver notifies when it stored a delivery (the processing loops listen). */
export const DELIVERY_CHANNEL = "stageboard_github_deliveries";

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

export interface WebhookRequest {
  db: Db;
  logger: Pick<Logger, "warn" | "error">;
  /** The App's webhook secret; null when no App (or no secret) is configured: the endpoint then does not exist. */
  secret: string | null;
  headers: Headers;
  body: RequestBody;
}

export type WebhookResponse = { status: number; body: Record<string, unknown>; stored?: string };

const verifiers = new Map<string, Webhooks>();
function verifier(secret: string): Webhooks {
  let found = verifiers.get(secret);
  if (!found) {
    verifiers.clear();
    found = new Webhooks({ secret });
    verifiers.set(secret, found);
  }
  return found;
}

const refuse = (status: number, error: string, message: string): WebhookResponse => ({
  status,
  body: { error, message },
});

export async function receiveWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const { headers } = req;
  if (!req.secret) {
    await discardBody(req.body);
    return refuse(404, "not_found", "No GitHub App with a webhook secret is configured");
  }
  if (!JSON_TYPE.test(headers.get("content-type") ?? "")) {
    await discardBody(req.body);
    return refuse(415, "unsupported_media_type", "Deliveries must be application/json (the App's webhook setting)");
  }
  const id = headers.get("x-github-delivery");
  const event = headers.get("x-github-event");
  const signature = headers.get("x-hub-signature-256");
  const missing = [
    ...(id ? [] : ["x-github-delivery"]),
    ...(event ? [] : ["x-github-event"]),
    ...(signature ? [] : ["x-hub-signature-256"]),
  ];
  if (missing.length > 0 || !id || !event || !signature) {
    await discardBody(req.body);
    return refuse(400, "bad_request", `Required headers missing: ${missing.join(", ")}`);
  }
  if (!DELIVERY_ID.test(id) || !EVENT_NAME.test(event)) {
    await discardBody(req.body);
    return refuse(400, "bad_request", "Malformed x-github-delivery or x-github-event header");
  }
  const read = await readBodyCapped({
    body: req.body,
    declaredLength: headers.get("content-length"),
    maxBytes: MAX_WEBHOOK_BODY_BYTES,
  });
  if (read.kind === "too_large") return refuse(413, "too_large", `At most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  if (read.kind === "unreadable") return refuse(400, "bad_request", "Unreadable body");

  const verified = await verifier(req.secret)
    .verify(read.text, signature)
    .catch(() => false);
  if (!verified) {
    // Logged without the body or the signature: neither says more than that someone sent a wrong one.
    req.logger.warn({ event, delivery: id }, "rejected a GitHub webhook delivery: signature does not match");
    return refuse(401, "unauthorized", "Signature does not match the payload and the App's webhook secret");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(read.text);
  } catch {
    return refuse(400, "bad_request", "The body is not JSON");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return refuse(400, "bad_request", "The body is not a JSON object");

  const facts = deliveryFacts(payload);
  // PostgreSQL's jsonb holds no NUL character; the signature was checked on the bytes as sent.
  const stored = read.text.replaceAll("\\u0000", "\\ufffd");
  try {
    const inserted = await req.db.$transaction(async (tx) => {
      const rows = await tx.$executeRaw`
        INSERT INTO "GitHubDelivery" (id, event, action, "installationId", repository, payload)
        VALUES (${id}, ${event}, ${facts.action}, ${facts.installationId}, ${facts.repository},
                ${stored}::jsonb)
        ON CONFLICT (id) DO NOTHING`;
      if (rows > 0) await tx.$executeRaw`SELECT pg_notify(${DELIVERY_CHANNEL}, ${id})`;
      return rows > 0;
    });
    if (!inserted) return { status: 200, body: { accepted: false, duplicate: true } };
    return { status: 202, body: { accepted: true }, stored: id };
  } catch (err) {
    // GitHub marks the delivery failed; it is fetched again from GitHub's delivery log once the database is back.
    req.logger.error({ err, event, delivery: id }, "could not store a GitHub webhook delivery");
    return refuse(503, "unavailable", "The delivery could not be stored; it is redelivered later");
  }
}
