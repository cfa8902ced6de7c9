import "server-only";
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { logger, type RequestIds } from "@/lib/server/logger";

const STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** What a 503 for a database outage tells clients to wait before retrying. */
const DATABASE_RETRY_AFTER_S = 5;

/** Expected failures: the message is safe to show the caller. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor({ code, message }: { code: ErrorCode; message: string }) {
    super(message);
    this.code = code;
    this.name = "ApiError";
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function errorResponse(code: ErrorCode, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status: STATUS[code], headers });
}

/** The one boundary where thrown errors become responses; unexpected ones are logged once, generically answered. */
export function handleApiError(error: unknown, ids?: RequestIds): Response {
  if (error instanceof ApiError) return errorResponse(error.code, error.message);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return errorResponse("unprocessable_entity", `${where}${issue?.message ?? "invalid input"}`);
  }
  if (isDatabaseUnavailable(error)) {
    // One line without the stack: an outage fails every request alike, and the driver's message can name hosts.
    logger.warn({ ...ids, err: { name: error instanceof Error ? error.name : "Error" } }, "database unavailable");
    return errorResponse("service_unavailable", "The database is not answering; try again in a few seconds.", {
      "retry-after": String(DATABASE_RETRY_AFTER_S),
    });
  }
  logger.error({ err: error, ...ids }, "unhandled error in route handler");
  return errorResponse("internal_server_error", "Something went wrong; it has been logged.");
}
