import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import type { Db } from "@/lib/server/db/client";
import type { LiveRegistry } from "@/lib/server/live/registry";
import { accessFor, loadStreamAccess, type StreamScope } from "@/lib/server/live/stream-access";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { canSeeRepository } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import type { StreamQuery } from "@/lib/pipelines/schemas";

export const STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // Proxies must neither cache, transform (compress and buffer) nor hold back the stream.
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
} as const;

export function streamScope(query: StreamQuery): StreamScope {
  if (query.pipeline) return { kind: "pipeline", id: query.pipeline };
  if (query.repository) return { kind: "repository", fullName: query.repository };
  return { kind: "all" };
}

/**
 * A live stream's response for a signed-in viewer. A pipeline or repository the viewer may not see
 * answers 404, as its page does; otherwise the stream stays open until the client leaves or its
 * session ends.
 */
export async function openLiveStream(input: {
  db: Db;
  registry: LiveRegistry;
  viewer: Viewer;
  token: string;
  query: StreamQuery;
  lastEventId: string | null;
  signal: AbortSignal;
}): Promise<Response> {
  const { db, registry, viewer, token } = input;
  const scope = streamScope(input.query);
  if (scope.kind === "repository" && !canSeeRepository(viewer, scope.fullName))
    throw new ApiError({ code: "not_found", message: "No such repository" });
  const access = await accessFor(db, { viewer, token, scope });
  if (!access) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  if (scope.kind === "pipeline" && !access.visible.has(scope.id))
    throw new ApiError({ code: "not_found", message: "No such pipeline" });

  const resumeAfter = input.lastEventId ?? (await registry.headEventId());
  const encoder = new TextEncoder();
  let handle: { close(): void } | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const finish = () => {
        if (!open) return;
        open = false;
        handle?.close();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      handle = registry.open({
        tokenHash: hashSessionToken(token),
        access,
        loadAccess: () => loadStreamAccess(db, token, scope),
        resumeAfter,
        write: (chunk) => {
          if (open) controller.enqueue(encoder.encode(chunk));
        },
        end: finish,
      });
      if (input.signal.aborted) finish();
      else input.signal.addEventListener("abort", finish, { once: true });
    },
    cancel() {
      handle?.close();
    },
  });
  return new Response(body, { headers: STREAM_HEADERS });
}
