// POST /api/events/codepipeline – CodePipeline state-change events from an EventBridge API destination
// (authenticated by the EVENTS_HEADER secret); records them and makes the pipelines due for a re-sync
import { env } from "@/lib/env";
import { db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import { handleCodePipelineEvents, MAX_EVENT_BODY_BYTES } from "@/lib/server/sync/events/handle-events";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_EVENT_BODY_BYTES) return Response.json({ error: "too_large" }, { status: 413 });
  const result = await handleCodePipelineEvents({
    db,
    logger,
    secret: env.EVENTS_SECRET,
    presentedSecret: request.headers.get(env.EVENTS_HEADER),
    body: await request.text(),
    now: Date.now(),
  });
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
}
