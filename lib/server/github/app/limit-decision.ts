import "server-only";

// What a GitHub App client does when GitHub says it is over a limit (the throttling plugin classifies the answer and
// asks). Pure, so every branch is tested without waiting for GitHub's clock.
//
// - Secondary limit (too much at once): wait the `retry-after` GitHub gives and try again, at most MAX_RETRIES times;
//   GitHub warns that continuing to send while limited can get an integration banned, so never more. A request a
//   person waits for does not sit out a long wait: past INTERACTIVE_MAX_WAIT_S it fails and says so.
// - Primary limit (the hourly quota is spent): only background work waits for the reset; a page fails at once, so
//   nobody waits up to an hour for it.

/** `background`: write-back and other work nobody waits on; `interactive`: a page or route a person waits for. */
export type ClientMode = "background" | "interactive";

export const MAX_RETRIES = 3;
export const INTERACTIVE_MAX_WAIT_S = 10;

export type LimitDecision = { kind: "wait"; seconds: number } | { kind: "fail"; reason: string };

export function decideOnLimit(input: {
  limit: "secondary" | "primary";
  retryAfterS: number;
  retryCount: number;
  mode: ClientMode;
}): LimitDecision {
  const seconds = Math.max(0, Math.ceil(input.retryAfterS));
  if (input.retryCount >= MAX_RETRIES) return { kind: "fail", reason: `still limited after ${MAX_RETRIES} retries` };
  if (input.limit === "primary") {
    if (input.mode === "interactive") return { kind: "fail", reason: "the hourly quota is spent" };
    // One wait for the reset: the quota is new then, so a second primary limit means something else is wrong.
    return input.retryCount === 0 ? { kind: "wait", seconds } : { kind: "fail", reason: "limited again after reset" };
  }
  if (input.mode === "interactive" && seconds > INTERACTIVE_MAX_WAIT_S)
    return { kind: "fail", reason: `GitHub asks to wait ${seconds} s` };
  return { kind: "wait", seconds };
}
