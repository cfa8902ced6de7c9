import { cookies } from "next/headers";
import { streamQuerySchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { SESSION_COOKIE } from "@/lib/server/auth/session-policy";
import { db } from "@/lib/server/db/client";
import { liveRegistry } from "@/lib/server/live/app-live";
import { openLiveStream } from "@/lib/server/live/open-stream";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /api/stream – server-sent events for the changes in scope the viewer may see (resumable with Last-Event-ID)
export const GET = withUser({ query: streamQuerySchema }, async ({ request, viewer, query }) => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const header = request.headers.get("last-event-id")?.trim();
  return openLiveStream({
    db,
    registry: liveRegistry(),
    viewer,
    token,
    query,
    lastEventId: header || query.lastEventId || null,
    signal: request.signal,
  });
});
