// Per-target request budget: a token bucket shared by every call to one AWS account+region. Throttling
// halves the rate (multiplicative decrease); each success adds a little back (additive increase) up to
// the configured rate, so a throttled target slows down as a whole and recovers on its own.
import "server-only";

export interface RequestBudget {
  take(): Promise<void>;
  onThrottle(): void;
  onSuccess(): void;
}

export interface TokenBucketOptions {
  ratePerSecond: number;
  /** Tokens that may be spent at once after a quiet spell. */
  burst?: number;
  /** Floor of the decreased rate. */
  minRate?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TokenBucket implements RequestBudget {
  readonly maxRate: number;
  private currentRate: number;
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly minRate: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  throttles = 0;

  constructor(options: TokenBucketOptions) {
    this.maxRate = options.ratePerSecond;
    this.currentRate = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.ratePerSecond / 2));
    this.minRate = Math.min(options.minRate ?? Math.max(0.05, options.ratePerSecond / 50), options.ratePerSecond);
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.burst;
    this.last = this.now();
  }

  get rate(): number {
    return this.currentRate;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.currentRate);
  }

  /** Reserves one token; waits while the bucket is in debt (callers queue in order of arrival). */
  async take(): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep((-this.tokens / this.currentRate) * 1000);
  }

  /** Whether a token can be spent now without waiting (none is taken). */
  available(): boolean {
    this.refill();
    return this.tokens >= 1;
  }

  /** Records `n` tokens spent elsewhere; a bucket in debt is not `available()` until it has refilled. */
  spend(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  onThrottle(): void {
    this.refill();
    this.throttles++;
    this.currentRate = Math.max(this.minRate, this.currentRate / 2);
    // Whatever was saved up is what got us throttled: start again from empty.
    this.tokens = Math.min(this.tokens, 0);
  }

  onSuccess(): void {
    if (this.currentRate >= this.maxRate) return;
    this.currentRate = Math.min(this.maxRate, this.currentRate + this.maxRate / 40);
  }
}
