import { AWS_TEXT_LIMITS, TRANSITION_REASON_PATTERN, fitStopReason, fitTransitionReason } from "./aws-limits";
import { commandBodySchema, decisionBodySchema, type CommandBody, type DecisionBody } from "./contract";

// The control forms check what they send with the same schemas the routes use, and word each problem for
// the field it belongs to. AWS's own text limits are hints, never errors: Stageboard keeps the full text
// in its audit log and sends AWS a version that fits (lib/control/aws-limits.ts).

export type FormResult<T> = { ok: true; body: T } | { ok: false; errors: Record<string, string> };

/** Friendlier words for the schema's terse ones, by the last segment of the field's path. */
const MESSAGES: Record<string, string> = {
  revisionValue: "Enter a commit SHA: 7 to 64 hexadecimal characters.",
  name: "Variable names are 1 to 128 of A–Z, a–z, 0–9, @, - and _.",
  value: "A variable needs a value of 1 to 1,000 characters.",
  executionId: "Choose an execution.",
  targetExecutionId: "Choose the execution to roll back to.",
  reason: "A reason is required.",
};

function fieldErrors(issues: { path: PropertyKey[]; message: string; code: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join(".") || "form";
    if (errors[field]) continue;
    const last = String(issue.path[issue.path.length - 1] ?? "");
    const tooLong = issue.code === "too_big";
    errors[field] = tooLong ? capitalise(issue.message) : (MESSAGES[last] ?? capitalise(issue.message));
  }
  return errors;
}

export function checkCommand(input: unknown): FormResult<CommandBody> {
  const parsed = commandBodySchema.safeParse(input);
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, errors: fieldErrors(parsed.error.issues) };
}

/**
 * A decision as the panel sends it: a comment is required to reject, and to approve when the policy says
 * so (the route checks again; this only saves a round trip).
 */
export function checkDecision(
  input: { decision: "approve" | "reject"; comment: string },
  options: { requireApproveComment: boolean },
): FormResult<DecisionBody> {
  const comment = input.comment.trim();
  if (!comment && input.decision === "reject") return { ok: false, errors: { comment: "Say why you reject it." } };
  if (!comment && input.decision === "approve" && options.requireApproveComment)
    return { ok: false, errors: { comment: "This repository asks for a comment with every approval." } };
  const parsed = decisionBodySchema.safeParse({ decision: input.decision, comment });
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, errors: fieldErrors(parsed.error.issues) };
}

/** What the form says under a free-text field whose text AWS would not take as it is; null when it fits. */
export function awsTextHint(field: "stopReason" | "transitionReason", text: string): string | null {
  if (!text.trim()) return null;
  if (field === "stopReason") {
    return fitStopReason(text) === text
      ? null
      : `AWS keeps ${AWS_TEXT_LIMITS.stopReason} characters; Stageboard keeps your full text in its audit log.`;
  }
  const fitted = fitTransitionReason(text);
  if (fitted === text) return null;
  return TRANSITION_REASON_PATTERN.test(text)
    ? `AWS keeps ${AWS_TEXT_LIMITS.transitionReason} characters; Stageboard keeps your full text in its audit log.`
    : `AWS accepts only letters, digits, spaces and ! @ ( ) . * ? - here, so it is sent “${fitted}”; Stageboard keeps your full text in its audit log.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
