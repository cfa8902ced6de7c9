import "server-only";
import type { z } from "zod";
import { env } from "@/lib/env";
import { ApiError, handleApiError } from "@/lib/server/api/errors";
import { getViewer, type Viewer } from "@/lib/server/session";

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
type Parsed<S extends Schemas, K extends keyof Schemas> = S[K] extends z.ZodType ? z.infer<S[K]> : undefined;

type HandlerArgs<S extends Schemas> = {
  request: Request;
  viewer: Viewer;
  params: Parsed<S, "params">;
  query: Parsed<S, "query">;
  body: Parsed<S, "body">;
  requestId: string;
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
 * Every API route goes through here: session (401 without one), Origin check for writes, Zod
 * parsing of params, query and body (422), and one place that turns errors into responses.
 */
export function withUser<S extends Schemas>(
  schemas: S,
  handler: (args: HandlerArgs<S>) => Response | Promise<Response>,
) {
  return async (
    request: Request,
    context: { params: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    try {
      const viewer = await getViewer();
      if (!viewer) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
      assertSameOrigin(request);
      const url = new URL(request.url);
      const rawBody: unknown =
        request.method === "GET" || request.method === "HEAD"
          ? undefined
          : await request.json().catch(() => {
              throw new ApiError({ code: "bad_request", message: "The request body must be JSON" });
            });
      const args = {
        request,
        viewer,
        requestId,
        params: (schemas.params ? schemas.params.parse(await context.params) : undefined) as Parsed<S, "params">,
        query: (schemas.query ? schemas.query.parse(Object.fromEntries(url.searchParams)) : undefined) as Parsed<
          S,
          "query"
        >,
        body: (schemas.body ? schemas.body.parse(rawBody) : undefined) as Parsed<S, "body">,
      };
      const response = await handler(args);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return handleApiError(error, requestId);
    }
  };
}
