import "server-only";

// How many requests each subject may make per window. People are counted per user (once signed in)
// and per client address; machine endpoints have budgets of their own, charged only once their
// sender has authenticated, so that nobody can use up a sender's budget without its secret.

export type BudgetName = "user" | "ip" | "events";

export type Budget = { name: BudgetName; points: number; durationSeconds: number };

export type Budgets = Record<BudgetName, Budget | null>;

export type BudgetSettings = {
  RATE_LIMIT_USER_PER_MINUTE: number;
  RATE_LIMIT_IP_PER_MINUTE: number;
  RATE_LIMIT_EVENTS_PER_MINUTE: number;
};

/**
 * Per-minute budgets from the configuration; 0 turns one off. The defaults are sized for people: every
 * open tab polls /api/changes once a second (60 a minute), so 1,200 per user covers a dozen tabs plus
 * the page loads, refreshes and link prefetches of someone clicking around. Several people can share
 * one address (an office behind NAT), hence 6,000 per address. EventBridge sends at most 50 a second
 * per API destination in the README's template (3,000 a minute), so 6,000 leaves room for two.
 */
export function budgetsFrom(settings: BudgetSettings): Budgets {
  const perMinute = (name: BudgetName, points: number): Budget | null =>
    points > 0 ? { name, points, durationSeconds: 60 } : null;
  return {
    user: perMinute("user", settings.RATE_LIMIT_USER_PER_MINUTE),
    ip: perMinute("ip", settings.RATE_LIMIT_IP_PER_MINUTE),
    events: perMinute("events", settings.RATE_LIMIT_EVENTS_PER_MINUTE),
  };
}
