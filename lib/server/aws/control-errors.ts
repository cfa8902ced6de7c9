// Turns a failed command's AWS error into what the person who gave the command is told: a sentence that
// says what happened and what to do, the HTTP status it is answered with, and AWS's request id (to quote to
// AWS support). AWS's own text is untrusted: it is bounded, stripped of control characters and of anything
// shaped like an access key, and only ever shown escaped. Credentials are never part of an error's text.
import "server-only";
import type { ErrorCode } from "@/lib/server/api/errors";

export interface ControlFailure {
  code: ErrorCode;
  message: string;
  awsRequestId: string | null;
  awsErrorName: string | null;
}

/** Codes the SDK retries as throttling (FACTS: @smithy/core's THROTTLING_ERROR_CODES) plus HTTP 429. */
const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
  "SlowDown",
  "PriorRequestNotComplete",
]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);
const BAD_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "IncompleteSignature",
]);
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|TimeoutError|RequestTimeout|aborted/i;

/** What each known CodePipeline error means, for the person who gave the command (service-2.json's lists). */
const KNOWN: Record<string, { code: ErrorCode; message: string }> = {
  InvalidApprovalTokenException: {
    code: "conflict",
    message: "AWS no longer accepts an answer to this approval: it has already been answered or it has expired.",
  },
  ApprovalAlreadyCompletedException: {
    code: "conflict",
    message: "This approval was already approved or rejected in AWS.",
  },
  StageNotRetryableException: {
    code: "conflict",
    message: "AWS cannot retry this stage now: only a failed stage, with no actions still running, can be retried.",
  },
  NotLatestPipelineExecutionException: {
    code: "conflict",
    message: "A newer execution has reached this stage since; only the latest one can be retried or overridden.",
  },
  PipelineExecutionNotStoppableException: {
    code: "conflict",
    message: "This execution can no longer be stopped: it has finished or is not running.",
  },
  DuplicatedStopRequestException: {
    code: "conflict",
    message: "A stop has already been requested for this execution.",
  },
  ConflictException: {
    code: "conflict",
    message: "The pipeline is busy with another change in AWS; try again in a moment.",
  },
  ConcurrentPipelineExecutionsLimitExceededException: {
    code: "conflict",
    message: "The pipeline already runs as many executions as AWS allows; wait for one to finish and try again.",
  },
  ConditionNotOverridableException: {
    code: "conflict",
    message: "AWS cannot override this condition now: it is not in progress or failed for this execution.",
  },
  UnableToRollbackStageException: {
    code: "conflict",
    message: "AWS cannot roll this stage back to that execution (it must have succeeded in this stage).",
  },
  PipelineExecutionOutdatedException: {
    code: "conflict",
    message: "That execution ran an older version of the pipeline, so the stage cannot be rolled back to it.",
  },
  PipelineNotFoundException: { code: "not_found", message: "This pipeline no longer exists in AWS." },
  PipelineVersionNotFoundException: {
    code: "not_found",
    message: "That version of the pipeline no longer exists in AWS.",
  },
  StageNotFoundException: { code: "not_found", message: "That stage no longer exists in the pipeline in AWS." },
  ActionNotFoundException: { code: "not_found", message: "That action no longer exists in the pipeline in AWS." },
  PipelineExecutionNotFoundException: {
    code: "not_found",
    message: "AWS does not know that execution (AWS keeps 12 months of history).",
  },
};

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/** AWS's text, safe to show and to log: bounded, printable, and with nothing shaped like a key id in it. */
export function cleanAwsText(value: unknown, max = 300): string {
  if (typeof value !== "string") return "";
  return value
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, "[key id]")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, max);
}

/** "User: … is not authorized to perform: codepipeline:X on resource: arn:… because …" → action and resource. */
function deniedPermission(message: string): { action: string | null; resource: string | null } {
  const action = /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1] ?? null;
  const resource = /on resource: (arn:[^\s,;]+)/.exec(message)?.[1] ?? null;
  return { action, resource };
}

function denial(message: string, operation: string, resource: string | undefined): string {
  const found = deniedPermission(message);
  const action = found.action ?? `codepipeline:${operation}`;
  const on = found.resource ?? resource;
  const where = on ? ` on ${on}` : "";
  if (action === "sts:AssumeRole")
    return `Stageboard's AWS identity may not sts:AssumeRole${where}: allow it in that role's trust policy.`;
  return `Stageboard's AWS role may not ${action}${where}: add it to the control role (see the README's IAM section).`;
}

/**
 * Describes a failed `operation` (CodePipeline's operation name, e.g. "RetryStageExecution"). `resource`
 * (the pipeline's ARN) names where a permission is missing when AWS's message does not.
 */
export function describeControlError(error: unknown, operation: string, resource?: string): ControlFailure {
  const e = (error && typeof error === "object" ? error : {}) as SdkErrorLike;
  const name = typeof e.name === "string" && e.name !== "Error" ? e.name : null;
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : null;
  const requestId = typeof e.$metadata?.requestId === "string" ? cleanAwsText(e.$metadata.requestId, 100) : null;
  const text = cleanAwsText(e.message);
  const failure = (code: ErrorCode, message: string): ControlFailure => ({
    code,
    message,
    awsRequestId: requestId || null,
    awsErrorName: name,
  });

  const known = name ? KNOWN[name] : undefined;
  if (known) return failure(known.code, known.message);
  if (name && DENIED.has(name)) return failure("forbidden", denial(text, operation, resource));
  if ((name && THROTTLING.has(name)) || status === 429)
    return failure("service_unavailable", "AWS is throttling requests to CodePipeline; try again in a minute.");
  if (name === "ValidationException")
    return failure("unprocessable_entity", `AWS refused the request as invalid${text ? `: ${text}` : "."}`);
  if (name === "CredentialsProviderError")
    return failure(
      "service_unavailable",
      "Stageboard has no usable AWS credentials for this pipeline's account; an administrator must configure them.",
    );
  if (name && BAD_CREDENTIALS.has(name))
    return failure(
      "service_unavailable",
      `AWS refused Stageboard's credentials (${name}); an administrator must renew or correct them.`,
    );
  const transport = `${name ?? ""} ${typeof e.code === "string" ? e.code : ""} ${text}`;
  if ((status !== null && status >= 500) || UNREACHABLE.test(transport))
    return failure("service_unavailable", `AWS CodePipeline could not be reached to ${operation}; try again.`);
  const detail = [name, text].filter(Boolean).join(": ");
  return failure(
    "bad_gateway",
    `AWS refused ${operation}${detail ? ` (${detail})` : ""}; check the pipeline in AWS and try again.`,
  );
}
