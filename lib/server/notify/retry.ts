import "server-only";
import { maxAttempts, nextAttempt } from "@/lib/server/jobs/retry-schedule";
import type { PostResult } from "@/lib/server/notify/http-post";

// What happens after an attempt. A receiver that is down or overloaded (5xx, 408, 429, no answer) is tried
// again 5 times in all over about 30 minutes; one that refuses the message (another 4xx: a revoked Slack
// webhook answers 403 or 404, a bad signature 401) or redirects is not, since the same message would be
// refused again. A URL the policy refuses (a private address) is not retried either.

/** Waits after the 1st, 2nd, 3rd and 4th failed attempt: 30 s, 2 min, 8 min, 20 min (30.5 min in all). */
export const RETRY_DELAYS_MS = [30_000, 120_000, 480_000, 1_200_000] as const;
const SCHEDULE = { delaysMs: RETRY_DELAYS_MS };
export const MAX_ATTEMPTS = maxAttempts(SCHEDULE);

export type AttemptDecision =
  { kind: "delivered" } | { kind: "retry"; at: Date; error: string } | { kind: "give-up"; error: string };

function describe(result: PostResult): string {
  if (result.kind === "failed") return result.error;
  const said = result.excerpt ? `: ${result.excerpt}` : "";
  return `HTTP ${result.status}${said}`;
}

function retryable(result: PostResult): boolean {
  if (result.kind === "failed") return !result.refused;
  const { status } = result;
  return status >= 500 || status === 408 || status === 429 || status < 100;
}

/** `attempts`: how many attempts have now been made, this one included. */
export function afterAttempt(attempts: number, result: PostResult, now: Date): AttemptDecision {
  if (result.kind === "answered" && result.status >= 200 && result.status < 300) return { kind: "delivered" };
  const error =
    result.kind === "answered" && result.status >= 300 && result.status < 400
      ? `HTTP ${result.status}: redirects are not followed; use the final URL`
      : describe(result);
  const next = retryable(result) ? nextAttempt(SCHEDULE, { attempts, now }) : ({ kind: "give-up" } as const);
  return next.kind === "retry" ? { kind: "retry", at: next.at, error } : { kind: "give-up", error };
}
