import "server-only";
import type { z } from "zod";
import { env } from "@/lib/env";
import { ApiError, handleApiError } from "@/lib/server/api/errors";
import { requestIdsFrom } from "@/lib/server/logger";
import { appRateLimits } from "@/lib/server/rate-limit/store";
import { rateLimitedJson } from "@/lib/server/rate-limit/responses";
import { getViewer, type Viewer } from "@/lib/server/session";

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
type Parsed<S extends Schemas, K extends keyof Schemas> = S[K] extends z.ZodType ? z.infer<S[K]> : undefined;

type HandlerArgs<S extends Schemas> = {
  request: Request;
  viewer: Viewer;
  params: Parsed<S, "params">;
  query: Parsed<S, "query">;
  body: Parsed<S, "body">;
  /** The server's id for this request (proxy.ts), for log lines. */
  requestId: string;
  /** The id the client sent, sanitised, to log beside requestId. */
  clientRequestId?: string;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cross-site requests cannot change state: a mutating request must come from our own origin. */
function assertSameOrigin(request: Request) {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const expected = new URL(env.NEXTAUTH_URL ?? request.url).origin;
  if (!origin || origin !== expected)
    throw new ApiError({ code: "forbidden", message: "Cross-origin request refused" });
}

/**
 * Path and query are the address: what fails their schema is a malformed request (400), where a body
 * that is JSON but not what the route takes is unprocessable (422, in handleApiError).
 */
function parseAddress<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new ApiError({ code: "bad_request", message: `${where}${issue?.message ?? "invalid address"}` });
}

/** No route takes more than a small JSON object; a larger body is refused before it is buffered. */
const MAX_BODY_BYTES = 64 * 1024;

async function readJsonBody(request: Request): Promise<unknown> {
  const tooLarge = new ApiError({ code: "payload_too_large", message: `The body exceeds ${MAX_BODY_BYTES} bytes` });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new ApiError({ code: "bad_request", message: "The request body must be JSON" });
  }
}

/**
 * Every API route goes through here: session (401 without one), the viewer's rate limit (429; the
 * per-address one is proxy.ts's), Origin check for writes, Zod parsing of params and query (400) and
 * body (422), and one place that turns errors into responses.
 */
export function withUser<S extends Schemas>(
  schemas: S,
  handler: (args: HandlerArgs<S>) => Response | Promise<Response>,
) {
  return async (
    request: Request,
    context: { params: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    const ids = requestIdsFrom(request.headers);
    try {
      const viewer = await getViewer();
      if (!viewer) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
      const limit = await appRateLimits().consume([{ budget: "user", subject: viewer.userId }]);
      if (limit.kind === "limited") return rateLimitedJson(limit, { "x-request-id": ids.requestId });
      assertSameOrigin(request);
      const url = new URL(request.url);
      const params = (schemas.params ? parseAddress(schemas.params, await context.params) : undefined) as Parsed<
        S,
        "params"
      >;
      const query = (
        schemas.query ? parseAddress(schemas.query, Object.fromEntries(url.searchParams)) : undefined
      ) as Parsed<S, "query">;
      const rawBody = request.method === "GET" || request.method === "HEAD" ? undefined : await readJsonBody(request);
      const body = (schemas.body ? schemas.body.parse(rawBody) : undefined) as Parsed<S, "body">;
      const response = await handler({ request, viewer, ...ids, params, query, body });
      response.headers.set("x-request-id", ids.requestId);
      return response;
    } catch (error) {
      const response = handleApiError(error, ids);
      response.headers.set("x-request-id", ids.requestId);
      return response;
    }
  };
}
