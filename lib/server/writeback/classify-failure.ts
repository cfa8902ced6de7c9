import "server-only";
import { ContentBudgetSpent } from "./content-budget";

// What a failed GitHub request means for write-back, read once from Octokit's error (pure): whether GitHub may
// have done it anyway (no answer, or a 5xx: a creation must then be looked up before anything is created again),
// whether it asks us to slow down (secondary or primary rate limit, with how long to wait), or whether it refused.

export type GitHubFailure =
  /** No answer, a timeout or a 5xx: the request may or may not have taken effect. */
  | { kind: "no-answer"; status: number | null; message: string }
  /** `status` null: Stageboard's own content budget (content-budget.ts) asked for the wait, not GitHub. */
  | { kind: "rate-limited"; status: number | null; retryAfterMs: number; message: string }
  | { kind: "not-found"; status: 404; message: string }
  /** `final`: the same request would be refused again (400, 422), so retrying is pointless. */
  | { kind: "refused"; status: number; final: boolean; message: string };

/** GitHub's advice when a secondary limit comes without retry-after: wait at least a minute. */
export const FALLBACK_RETRY_AFTER_MS = 60_000;

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined;

function header(error: unknown, name: string): string | null {
  const value = field(field(field(error, "response"), "headers"), name);
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
}

function messageOf(error: unknown): string {
  const message = field(error, "message");
  // Octokit's messages are GitHub's own error text (never a header or a token); kept short for the job's record.
  return (typeof message === "string" && message.trim() ? message.trim() : "Unknown error").slice(0, 300);
}

export function classifyFailure(error: unknown, now: Date): GitHubFailure {
  if (error instanceof ContentBudgetSpent)
    return { kind: "rate-limited", status: null, retryAfterMs: error.retryAfterMs, message: error.message };
  const status = field(error, "status");
  const answered = field(error, "response") !== undefined;
  const message = messageOf(error);
  if (typeof status !== "number" || !answered || status >= 500 || status === 408)
    return { kind: "no-answer", status: answered && typeof status === "number" ? status : null, message };
  if (status === 403 || status === 429) {
    const retryAfter = Number(header(error, "retry-after"));
    const secondary = /\bsecondary rate\b/i.test(message) || (Number.isFinite(retryAfter) && retryAfter > 0);
    if (secondary) {
      const retryAfterMs = retryAfter > 0 ? retryAfter * 1000 : FALLBACK_RETRY_AFTER_MS;
      return { kind: "rate-limited", status, retryAfterMs, message };
    }
    if (header(error, "x-ratelimit-remaining") === "0") {
      const reset = Number(header(error, "x-ratelimit-reset")) * 1000;
      const retryAfterMs =
        Number.isFinite(reset) && reset > now.getTime() ? reset - now.getTime() + 1000 : FALLBACK_RETRY_AFTER_MS;
      return { kind: "rate-limited", status, retryAfterMs, message };
    }
  }
  if (status === 404) return { kind: "not-found", status, message };
  return { kind: "refused", status, final: status === 400 || status === 422, message };
}
