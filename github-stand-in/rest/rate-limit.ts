const WINDOW_MS = 60 * 60 * 1000;

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** UTC epoch seconds when the window resets, as x-ratelimit-reset reports it. */
  reset: number;
  exceeded: boolean;
}

interface Window {
  startedAt: number;
  used: number;
}

/** GitHub's primary limit: a fixed one-hour window per bucket that starts with its first request. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  hit(bucket: string, limit: number): RateLimitState {
    const now = this.now();
    let window = this.windows.get(bucket);
    if (!window || now >= window.startedAt + WINDOW_MS) {
      window = { startedAt: now, used: 0 };
      this.windows.set(bucket, window);
    }
    const exceeded = window.used >= limit;
    if (!exceeded) window.used += 1;
    return {
      limit,
      used: window.used,
      remaining: Math.max(0, limit - window.used),
      reset: Math.ceil((window.startedAt + WINDOW_MS) / 1000),
      exceeded,
    };
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(state.reset),
    "x-ratelimit-used": String(state.used),
    "x-ratelimit-resource": "core",
  };
}
