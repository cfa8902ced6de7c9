// Faults on demand: per-operation token buckets (ThrottlingException "Rate exceeded"), added latency, a
// share of HTTP 500 InternalFailure, and operations the caller's role may not call (AccessDeniedException). Buckets run on the sandbox clock so throttling is deterministic in tests.
import { Rng } from "../core/hash";

export interface FaultConfig {
  /** Operation name (or "*") -> requests per second; the burst equals one second's worth. */
  throttle?: Record<string, number>;
  latencyMs?: number;
  /** Share of requests (0..1) answered with HTTP 500 InternalFailure. */
  errorRate?: number;
  /** Operations answered with AccessDeniedException, as when the caller's IAM policy lacks them. */
  deny?: string[];
}

interface Bucket {
  tokens: number;
  at: number;
}

export class Faults {
  private config: FaultConfig = {};
  private buckets = new Map<string, Bucket>();
  private rng = new Rng(7);

  set(config: FaultConfig): void {
    this.config = { ...this.config, ...config };
    this.buckets.clear();
  }

  clear(): void {
    this.config = {};
    this.buckets.clear();
  }

  current(): FaultConfig {
    return this.config;
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  denied(operation: string): boolean {
    return this.config.deny?.includes(operation) ?? false;
  }

  shouldFail(): boolean {
    const rate = this.config.errorRate ?? 0;
    return rate > 0 && this.rng.next() < rate;
  }

  /** Takes one token for the operation; false means throttled. */
  admit(operation: string, nowMs: number): boolean {
    const rps = this.config.throttle?.[operation] ?? this.config.throttle?.["*"];
    if (rps === undefined) return true;
    const key = this.config.throttle?.[operation] !== undefined ? operation : "*";
    const burst = Math.max(1, rps);
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * rps);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
