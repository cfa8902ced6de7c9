// POST /api/events/codepipeline – CodePipeline state-change events from an EventBridge API destination
// (authenticated by the EVENTS_HEADER secret); records them and makes the pipelines due for a re-sync.
// The body is handed over unread: it is read (capped) only once the secret header matched.
import { env } from "@/lib/env";
import { db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import { limitEventsSender } from "@/lib/server/rate-limit/machine";
import { handleCodePipelineEvents } from "@/lib/server/sync/events/handle-events";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  // Charged to the events budget only when the secret matched; the handler refuses the rest (401/404).
  const limited = await limitEventsSender(request.headers);
  if (limited) return limited;
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
