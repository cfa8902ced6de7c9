// Classifies SDK failures once, so the rest of the engine reasons about kinds, not exception classes.
import "server-only";
import type { AwsOperation } from "./types";

export type AwsErrorKind = "throttled" | "not-found" | "invalid-token" | "transient" | "auth" | "other";

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "SlowDown",
]);
const NOT_FOUND = new Set([
  "PipelineNotFoundException",
  "PipelineExecutionNotFoundException",
  "PipelineVersionNotFoundException",
]);
const AUTH = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "CredentialsProviderError",
]);

export class AwsCallError extends Error {
  override name = "AwsCallError";
  constructor(
    readonly operation: AwsOperation,
    readonly kind: AwsErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(`${operation} failed: ${code}: ${message}`);
  }
}

function statusOf(error: { $metadata?: { httpStatusCode?: number } }): number | undefined {
  return error.$metadata?.httpStatusCode;
}

export function classifyAwsError(operation: AwsOperation, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const e = (error && typeof error === "object" ? error : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const code = typeof e.name === "string" ? e.name : "Error";
  const message = typeof e.message === "string" ? e.message.slice(0, 500) : String(error).slice(0, 500);
  const status = statusOf(e);
  let kind: AwsErrorKind = "other";
  if (THROTTLING.has(code) || status === 429) kind = "throttled";
  else if (NOT_FOUND.has(code)) kind = "not-found";
  else if (code === "InvalidNextTokenException") kind = "invalid-token";
  else if (AUTH.has(code) || status === 403) kind = "auth";
  else if (
    (status !== undefined && status >= 500) ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|TimeoutError|EAI_AGAIN|ENOTFOUND/i.test(
      `${code} ${message} ${typeof e.code === "string" ? e.code : ""}`,
    )
  )
    kind = "transient";
  return new AwsCallError(operation, kind, code, message);
}
