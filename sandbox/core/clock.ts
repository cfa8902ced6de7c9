// The simulation never reads Date.now() directly: a real clock drives the demo, a manual one drives tests and
// benchmarks, where advancing time runs every due simulation step in order without sleeping.

export type ClockMode = "real" | "manual";

export interface Clock {
  readonly mode: ClockMode;
  now(): number;
}

export class RealClock implements Clock {
  readonly mode = "real";
  now(): number {
    return Date.now();
  }
}

export class ManualClock implements Clock {
  readonly mode = "manual";
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  /** Only the scheduler moves time, step by step, so work due at t always sees now() === t. */
  set(ms: number): void {
    if (ms > this.current) this.current = ms;
  }
}
