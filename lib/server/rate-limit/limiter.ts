import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "@/lib/server/logger";
import type { Budget, BudgetName, Budgets } from "./budgets";

// Counting requests in Postgres (the RateLimit table, created by a migration), so that every instance
// charges the same counters: a person's tabs may be served by different instances behind a balancer.
//
// When the table cannot be reached, the counting moves to each instance's memory with the same budgets
// until Postgres answers again (retried after STORE_RETRY_MS), logged once per outage. Not failing
// closed: that would answer 429 to everyone over a database blip, telling browsers and EventBridge to
// back off for a whole window after it has passed. Not failing wide open either: a flood that arrives
// while the database struggles is exactly the one to cut, and memory counters still cut it per instance.

export const RATE_LIMIT_TABLE = "RateLimit";
const STORE_RETRY_MS = 5_000;

export type Charge = { budget: BudgetName; subject: string };

export type LimitDecision =
  { kind: "allowed" } | { kind: "limited"; budget: BudgetName; retryAfterSeconds: number; limit: number };

export interface RateLimits {
  /** Charges one request to each subject's budget (budgets turned off are skipped); limited if any is over. */
  consume(charges: readonly Charge[]): Promise<LimitDecision>;
}

/** Subjects are ours (user ids, addresses, endpoint names); a long one is hashed to fit the key column. */
function keyOf(subject: string): string {
  return subject.length <= 200 ? subject : `sha256:${createHash("sha256").update(subject).digest("hex")}`;
}

export function createRateLimits(input: {
  /** null: no database configured (a build, a test without one): memory only. */
  pool: pg.Pool | null;
  budgets: Budgets;
  logger: Logger;
  storeRetryMs?: number;
}): RateLimits {
  const storeRetryMs = input.storeRetryMs ?? STORE_RETRY_MS;
  type Pair = { budget: Budget; shared: RateLimiterPostgres | null; local: RateLimiterMemory };
  const pairs = new Map<BudgetName, Pair>();
  for (const budget of Object.values(input.budgets)) {
    if (!budget) continue;
    const options = { keyPrefix: budget.name, points: budget.points, duration: budget.durationSeconds };
    pairs.set(budget.name, {
      budget,
      shared: input.pool
        ? new RateLimiterPostgres({
            ...options,
            storeClient: input.pool,
            storeType: "pool",
            tableName: RATE_LIMIT_TABLE,
            // The migration made the table; without this the library would CREATE TABLE at start-up.
            tableCreated: true,
            // Expired rows are pruned in batches by the housekeeping job (lib/server/housekeeping/), not by
            // an unbounded DELETE from every limiter of every instance every five minutes.
            clearExpiredByTimeout: false,
            // Once a subject is over, this instance refuses it from memory until its window ends, so a
            // flood costs Postgres one write per instance and window instead of one per request.
            inMemoryBlockOnConsumed: budget.points + 1,
          })
        : null,
      local: new RateLimiterMemory(options),
    });
  }
  let storeDownUntil = 0;
  let degraded = false;

  const verdict = (pair: Pair, rejection: RateLimiterRes): LimitDecision => ({
    kind: "limited",
    budget: pair.budget.name,
    retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
    limit: pair.budget.points,
  });

  async function consumeLocally(pair: Pair, key: string): Promise<LimitDecision> {
    try {
      await pair.local.consume(key);
      return { kind: "allowed" };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return verdict(pair, rejection);
      throw rejection;
    }
  }

  async function consumeOne(pair: Pair, subject: string): Promise<LimitDecision> {
    const key = keyOf(subject);
    if (!pair.shared || Date.now() < storeDownUntil) return consumeLocally(pair, key);
    try {
      await pair.shared.consume(key);
      if (degraded) {
        degraded = false;
        input.logger.info("rate limits are counted in PostgreSQL again");
      }
      return { kind: "allowed" };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return verdict(pair, rejection);
      storeDownUntil = Date.now() + storeRetryMs;
      if (!degraded) {
        degraded = true;
        input.logger.warn(
          { reason: rejection instanceof Error ? rejection.message : String(rejection) },
          "rate-limit table unreachable: counting per instance in memory until PostgreSQL answers",
        );
      }
      return consumeLocally(pair, key);
    }
  }

  return {
    async consume(charges) {
      const decisions = await Promise.all(
        charges.flatMap((charge) => {
          const pair = pairs.get(charge.budget);
          return pair ? [consumeOne(pair, charge.subject)] : [];
        }),
      );
      const limited = decisions.filter((d) => d.kind === "limited");
      if (limited.length === 0) return { kind: "allowed" };
      // Over several budgets at once: the caller must wait for the last of them to reopen.
      return limited.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
    },
  };
}
