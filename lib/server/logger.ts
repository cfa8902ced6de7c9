import "server-only";
import pino, { type DestinationStream } from "pino";
import { env } from "@/lib/env";

// JSON lines everywhere (pipe through `pino-pretty` to read them locally). Anything that could
// carry a credential is redacted by path, so a careless `logger.info({ req })` cannot leak it.
export const REDACTED_PATHS = [
  "authorization",
  "cookie",
  "access_token",
  "refresh_token",
  "token",
  "secret",
  "password",
  "sessionToken",
  // A GitHub App's credentials, as Stageboard names them and as GitHub's manifest conversion answers them.
  "privateKey",
  "pem",
  "webhookSecret",
  "clientSecret",
  "client_secret",
  "webhook_secret",
  "*.authorization",
  "*.cookie",
  "*.access_token",
  "*.refresh_token",
  "*.token",
  "*.secret",
  "*.password",
  "*.sessionToken",
  "*.privateKey",
  "*.pem",
  "*.webhookSecret",
  "*.clientSecret",
  "*.client_secret",
  "*.webhook_secret",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers.set-cookie",
];

export function createLogger(destination?: DestinationStream) {
  const options = {
    level: env.LOG_LEVEL,
    base: { service: "stageboard" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger();
export type Logger = typeof logger;

// Request ids are the server's own: proxy.ts makes a random UUID for every request and sends it as
// x-request-id, overwriting whatever the client sent. A client's id is logged beside ours, as
// clientRequestId, so a caller can still find its requests, but it never stands in for ours: a chosen
// id could otherwise collide with, or impersonate, another request's log lines.
export const REQUEST_ID_HEADER = "x-request-id";
export const CLIENT_REQUEST_ID_HEADER = "x-client-request-id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLIENT_ID_MAX = 64;

/** A client's own request id fit for a log line: up to 64 characters of [A-Za-z0-9._:-], else none. */
export function sanitizeClientRequestId(raw: string | null | undefined): string | undefined {
  const trimmed = raw?.trim().slice(0, CLIENT_ID_MAX);
  return trimmed && /^[A-Za-z0-9._:-]+$/.test(trimmed) ? trimmed : undefined;
}

export type RequestIds = { requestId: string; clientRequestId?: string };

/**
 * The ids proxy.ts put on a request. Its matcher covers every route that logs with them; anything that
 * is not one of its UUIDs (a route it did not run for) gets a fresh id, never the client's text.
 */
export function requestIdsFrom(headers: Headers): RequestIds {
  const fromProxy = headers.get(REQUEST_ID_HEADER);
  const requestId = fromProxy && UUID.test(fromProxy) ? fromProxy : crypto.randomUUID();
  const clientRequestId = sanitizeClientRequestId(headers.get(CLIENT_REQUEST_ID_HEADER));
  return clientRequestId ? { requestId, clientRequestId } : { requestId };
}
