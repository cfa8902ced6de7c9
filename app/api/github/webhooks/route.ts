// POST /api/github/webhooks – the GitHub App's webhook deliveries: verified by the App's webhook secret, stored,
// answered, and then processed (here at once, and by every process that syncs should this one stop first).
import { after } from "next/server";
import { db } from "@/lib/server/db/client";
import { githubApp } from "@/lib/server/github/app";
import { processDeliveries } from "@/lib/server/github/webhooks/process-deliveries";
import { receiveWebhook } from "@/lib/server/github/webhooks/receive";
import { logger } from "@/lib/server/logger";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const app = await githubApp().catch(() => null);
  const result = await receiveWebhook({
    db,
    logger,
    secret: app?.webhookSecret ?? null,
    headers: request.headers,
    body: request.body,
  });
  if (result.stored) after(() => processDeliveries({ db, logger }).then(() => undefined));
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
}
