// Counters for the control plane: requests per operation, throttled requests, simulated status transitions.
import type { ChangeLevel } from "../core/world";

export class Stats {
  requests: Record<string, number> = {};
  throttled = 0;
  errors: Record<string, number> = {};
  stateChanges = { total: 0, pipeline: 0, stage: 0, action: 0 };
  since = Date.now();

  request(operation: string): void {
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
  }

  error(type: string): void {
    this.errors[type] = (this.errors[type] ?? 0) + 1;
  }

  change(level: ChangeLevel): void {
    this.stateChanges.total++;
    this.stateChanges[level]++;
  }

  reset(now: number): void {
    this.requests = {};
    this.throttled = 0;
    this.errors = {};
    this.stateChanges = { total: 0, pipeline: 0, stage: 0, action: 0 };
    this.since = now;
  }

  toJson(): Record<string, unknown> {
    return {
      since: this.since,
      requests: this.requests,
      throttled: this.throttled,
      errors: this.errors,
      stateChanges: this.stateChanges,
    };
  }
}
