// POST /api/events/codepipeline – CodePipeline state-change events from an EventBridge API destination
// (authenticated by the EVENTS_HEADER secret); records them and makes the pipelines due for a re-sync.
// The body is handed over unread: it is read (capped) only once the secret header matched.
import { env } from "@/lib/env";
import { db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import { handleCodePipelineEvents } from "@/lib/server/sync/events/handle-events";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const result = await handleCodePipelineEvents({
    db,
    logger,
    secret: env.EVENTS_SECRET,
    presentedSecret: request.headers.get(env.EVENTS_HEADER),
    body: request.body,
    declaredLength: request.headers.get("content-length"),
    now: Date.now(),
  });
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
}
