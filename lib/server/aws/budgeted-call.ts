// Every AWS call of a target goes through here: it spends one token of the target's budget, feeds
// throttling back into it, and leaves the service's own retries to this loop.
import "server-only";
import type { RequestBudget } from "./rate-limiter";
import { classifyAwsError } from "./errors";
import type { AwsOperation } from "./types";

const MAX_THROTTLED_ATTEMPTS = 3;

/** A connection that dropped mid-request (the SDK names socket resets TimeoutError; the message says what happened). */
const DROPPED_CONNECTION = /ECONNRESET|EPIPE|socket hang up/i;

export type BudgetedCall = <T>(operation: AwsOperation, run: () => Promise<T>) => Promise<T>;

export function budgetedCall(budget: RequestBudget, onRequest?: (operation: AwsOperation) => void): BudgetedCall {
  return async function call<T>(operation: AwsOperation, run: () => Promise<T>): Promise<T> {
    // A throttled call is retried through the (now slower) budget a few times before the step gives up.
    // A connection dropped under the request (a kept-alive socket closed by the other side as it was
    // reused) is retried once: every call made through here only reads, so repeating it is safe.
    let dropRetried = false;
    for (let attempt = 1; ; attempt++) {
      await budget.take();
      onRequest?.(operation);
      try {
        const result = await run();
        budget.onSuccess();
        return result;
      } catch (error) {
        const classified = classifyAwsError(operation, error);
        if (classified.kind === "transient" && DROPPED_CONNECTION.test(classified.message) && !dropRetried) {
          dropRetried = true;
          continue;
        }
        if (classified.kind !== "throttled") throw classified;
        budget.onThrottle();
        if (attempt >= MAX_THROTTLED_ATTEMPTS) throw classified;
      }
    }
  };
}
