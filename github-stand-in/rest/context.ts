import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http/respond";
import type { Headers } from "../http/respond";
import type { StandInState } from "../state";
import type { Authentication } from "./authenticate";
import type { TokenRecord } from "../world/tokens";
import type { UserRecord } from "../world/world";

export const DOCS = "https://docs.github.com/rest";

/** One REST request after authentication and rate limiting. */
export interface RestContext {
  state: StandInState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Public origin, e.g. http://127.0.0.1:4010, used for every URL in a response. */
  base: string;
  /** The user a user token acts as (an OAuth App's or a GitHub App's); null for App and installation callers. */
  viewer: UserRecord | null;
  token: TokenRecord | null;
  /** Who is calling, whatever the kind: what App-aware access rules decide on. */
  caller: Authentication;
  apiVersion: string;
  /** Headers every response carries: rate limit, request id, scopes. */
  headers: Headers;
  params: Record<string, string>;
  /** Parsed JSON body of a POST, PATCH or PUT (always an object by the time a handler sees it). */
  body: Record<string, unknown>;
  /** Where answers go instead of straight to `res`: set when a fault is to replace a successful answer. */
  deliver?: (status: number, body: unknown, headers: Headers) => void;
}

export function reply(ctx: RestContext, status: number, body: unknown, extra: Headers = {}): void {
  const headers = { ...ctx.headers, ...extra };
  if (ctx.deliver) return ctx.deliver(status, body, headers);
  sendJson(ctx.res, status, body, headers);
}

/** GitHub's error shape: message, documentation_url and the status as a string. */
export function fail(
  ctx: RestContext,
  status: number,
  message: string,
  documentation = DOCS,
  extra: Record<string, unknown> = {},
  headers: Headers = {},
): void {
  reply(ctx, status, { message, ...extra, documentation_url: documentation, status: String(status) }, headers);
}

export function notFound(ctx: RestContext, documentation = DOCS): void {
  fail(ctx, 404, "Not Found", documentation);
}

export interface FieldError {
  resource: string;
  field: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  message?: string;
}

export function validationFailed(ctx: RestContext, errors: FieldError[], documentation = DOCS): void {
  fail(ctx, 422, "Validation Failed", documentation, { errors });
}
