// What CodePipeline accepts in the free-text fields Stageboard fills from a person's words. AWS refuses a
// request whose text breaks these limits (ValidationException), so a person's comment is fitted rather
// than refused: Stageboard keeps the full text in its audit log and sends AWS a version that fits. Pure and
// isomorphic, so forms can show what AWS will receive before sending.

/** Lengths and patterns from CodePipeline's API model (service-2.json); aws-limits.model-test.ts holds them to it. */
export const AWS_TEXT_LIMITS = {
  /** `ApprovalSummary`: 0–512, any characters. */
  approvalSummary: 512,
  /** `StopPipelineExecutionReason`: up to 200, any characters. */
  stopReason: 200,
  /** `DisabledReason`: 1–300 of `[a-zA-Z0-9!@ \(\)\.\*\?\-]+`. */
  transitionReason: 300,
} as const;

/** The characters a transition's reason may hold, as AWS's `DisabledReason` pattern names them. */
export const TRANSITION_REASON_PATTERN = /^[a-zA-Z0-9!@ ().*?-]+$/;

/** `PipelineVariableName` / `PipelineVariableValue` / `PipelineVariableList` and `SourceRevisionOverrideList`. */
export const AWS_VARIABLE_LIMITS = {
  namePattern: /^[A-Za-z0-9@\-_]+$/,
  nameMax: 128,
  valueMax: 1000,
  perExecution: 50,
  sourceRevisionsPerExecution: 50,
} as const;

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending in `ellipsis` when it was cut, without splitting
 * a surrogate pair. Counting code units, not code points, keeps within the limit however AWS counts.
 */
function cut(text: string, max: number, ellipsis: string): string {
  if (text.length <= max) return text;
  const mark = ellipsis.length <= max ? ellipsis : "";
  let end = max - mark.length;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + mark;
}

/**
 * `text`, then `suffix` kept whole (an attribution such as " (by @ada via Stageboard)"): the text is cut
 * first, so who acted survives however long the comment is.
 */
function fit(text: string, suffix: string, max: number, ellipsis: string): string {
  const tail = cut(suffix, max, ellipsis);
  return cut(text, max - tail.length, ellipsis) + tail;
}

/** An approval's `summary` (≤ 512 characters): cut with an ellipsis when longer. */
export function fitApprovalSummary(text: string): string {
  return cut(text, AWS_TEXT_LIMITS.approvalSummary, "…");
}

/** A stop's `reason` (≤ 200 characters), `suffix` kept whole. Empty stays empty (AWS takes no reason). */
export function fitStopReason(text: string, suffix = ""): string {
  return fit(text, suffix, AWS_TEXT_LIMITS.stopReason, "…");
}

const OPENING = /[[{<]/g;
const CLOSING = /[\]}>]/g;
const QUOTES = /["'`´‘’‚“”„]/g;
const JOINERS = /[_/\\|]/g;
const OUTSIDE = /[^a-zA-Z0-9!@ ().*?-]/g;

/** Replaces what the pattern refuses: accents dropped, brackets become parentheses, the rest spaces. */
function transitionSafe(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(OPENING, "(")
    .replace(CLOSING, ")")
    .replace(QUOTES, "")
    .replace(JOINERS, "-")
    .replace(OUTSIDE, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** Sent when nothing of the person's reason survives (an emoji, another script): AWS refuses an empty one. */
export const TRANSITION_REASON_FALLBACK = "Disabled via Stageboard (see its audit log)";

/**
 * A transition's `reason` (1–300 characters of `[a-zA-Z0-9!@ ().*?-]`): characters outside the pattern are
 * replaced, never refused, and the result is never empty. `suffix` is made safe the same way and kept whole.
 */
export function fitTransitionReason(text: string, suffix = ""): string {
  const tail = suffix ? ` ${transitionSafe(suffix)}` : "";
  const body = transitionSafe(text);
  const fitted = fit(body, tail.trim() ? tail : "", AWS_TEXT_LIMITS.transitionReason, "...").trim();
  return TRANSITION_REASON_PATTERN.test(fitted) ? fitted : TRANSITION_REASON_FALLBACK;
}
