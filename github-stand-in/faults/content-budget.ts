// GitHub's secondary limit on content creation: "no more than 80 content-generating requests per minute and no more
// than 500 content-generating requests per hour", counted per installation or token. Windows slide: a request
// counts for exactly one minute and one hour after it was let through; refused requests do not count.

export const GITHUB_PER_MINUTE = 80;
export const GITHUB_PER_HOUR = 500;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface BudgetLimits {
  perMinute: number;
  perHour: number;
}

/** GitHub's limits times `scale` (0.1 gives 8 a minute and 50 an hour), never below one request. */
export function scaledLimits(scale: number): BudgetLimits {
  return {
    perMinute: Math.max(1, Math.round(GITHUB_PER_MINUTE * scale)),
    perHour: Math.max(1, Math.round(GITHUB_PER_HOUR * scale)),
  };
}

export type BudgetAnswer = { kind: "allowed" } | { kind: "refused"; retryAfterSeconds: number };

/**
 * Decides one request from the times (epoch ms, oldest first) of the requests let through in the last hour. Pure,
 * so the windows can be tested without a clock.
 */
export function decide(recent: readonly number[], nowMs: number, limits: BudgetLimits): BudgetAnswer {
  const inHour = recent.filter((t) => t > nowMs - HOUR_MS);
  const inMinute = inHour.filter((t) => t > nowMs - MINUTE_MS);
  const wait = (oldest: number | undefined, windowMs: number) =>
    Math.max(1, Math.ceil(((oldest ?? nowMs) + windowMs - nowMs) / 1000));
  if (inHour.length >= limits.perHour) return { kind: "refused", retryAfterSeconds: wait(inHour[0], HOUR_MS) };
  if (inMinute.length >= limits.perMinute) return { kind: "refused", retryAfterSeconds: wait(inMinute[0], MINUTE_MS) };
  return { kind: "allowed" };
}

export class ContentBudget {
  private readonly spent = new Map<string, number[]>();

  constructor(
    readonly scale: number,
    readonly limits: BudgetLimits = scaledLimits(scale),
  ) {}

  take(bucket: string, nowMs: number): BudgetAnswer {
    const recent = (this.spent.get(bucket) ?? []).filter((t) => t > nowMs - HOUR_MS);
    const answer = decide(recent, nowMs, this.limits);
    if (answer.kind === "allowed") recent.push(nowMs);
    this.spent.set(bucket, recent);
    return answer;
  }

  /** Requests let through per bucket in the last minute and hour, for GET /_stand-in/faults. */
  usage(nowMs: number): Record<string, { minute: number; hour: number }> {
    return Object.fromEntries(
      [...this.spent].map(([bucket, times]) => [
        bucket,
        {
          minute: times.filter((t) => t > nowMs - MINUTE_MS).length,
          hour: times.filter((t) => t > nowMs - HOUR_MS).length,
        },
      ]),
    );
  }
}
