import "server-only";

export type Timed<T> = { kind: "ok"; value: T } | { kind: "failed"; error: unknown } | { kind: "timeout" };

/**
 * Settles within `ms` whatever `run` does. The work itself is not cancelled (a query keeps its pooled
 * connection until its statement timeout), but the caller has its answer in time.
 */
export async function withTimeout<T>(run: () => Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), ms);
  });
  const work = Promise.resolve()
    .then(run)
    .then(
      (value): Timed<T> => ({ kind: "ok", value }),
      (error: unknown): Timed<T> => ({ kind: "failed", error }),
    );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
