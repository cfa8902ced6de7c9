// Keeps write-back jobs in flight without rounds: as soon as slots free up (a job recorded), more due jobs are taken,
// so a job whose predecessor of the same commit and pipeline was just recorded goes out at once instead of waiting
// for the slowest job of a batch. Generic over what a job is, so the scheduling is tested apart from PostgreSQL and
// GitHub. The pool ends when nothing is due and nothing is in flight, or when asked to stop (then it lets the jobs
// in flight finish: each is recorded, none is abandoned half-sent).

export type PoolOptions<T> = {
  /** Most jobs in flight at once. */
  width: number;
  /** Up to `n` due jobs; fewer (or none) when no more are due. */
  take: (n: number) => Promise<T[]>;
  /** Sends and records one job; it must not throw (a failure is recorded on the job). */
  run: (job: T) => Promise<void>;
  /**
   * Fewest free slots worth a take while jobs are still in flight (each take is a query); an idle pool takes at
   * once. Default: an eighth of the width.
   */
  minTake?: number;
  /** Resolves when new jobs may be due (a change queued more); the pool then takes again without waiting for one. */
  nudged?: () => Promise<void>;
  /** Whether to stop taking. */
  stopping?: () => boolean;
};

/** Runs jobs until none is due and none in flight (or stopping); how many were run. */
export async function runPool<T>(options: PoolOptions<T>): Promise<number> {
  const width = Math.max(1, options.width);
  const minTake = Math.max(1, Math.min(width, options.minTake ?? Math.ceil(width / 8)));
  const inFlight = new Set<Promise<void>>();
  let ran = 0;
  // A nudge that came while taking or waiting makes the next take happen whatever the free slots.
  let nudged = false;
  let listening: Promise<void> | null = null;
  const listen = (): Promise<void> =>
    (listening ??= (options.nudged?.() ?? new Promise<void>(() => undefined)).then(() => {
      listening = null;
      nudged = true;
    }));
  if (options.nudged) void listen();
  while (!options.stopping?.()) {
    const free = width - inFlight.size;
    if (free > 0 && (inFlight.size === 0 || free >= minTake || nudged)) {
      nudged = false;
      const jobs = await options.take(free);
      for (const job of jobs) {
        ran++;
        const running: Promise<void> = options.run(job).finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (inFlight.size === 0) break;
    }
    await Promise.race([...inFlight, ...(options.nudged ? [listen()] : [])]);
  }
  await Promise.all(inFlight);
  return ran;
}

/** A counting semaphore: at most `size` holders at once, the rest wait in arrival order. */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async use<R>(fn: () => Promise<R>): Promise<R> {
    if (this.held >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    }
  }
}
