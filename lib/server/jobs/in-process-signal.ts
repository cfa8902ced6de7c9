import "server-only";

// A wake-up within one process: work made due here (a command's re-sync, a webhook that made a commit due at a
// release gate) wakes this process's loop at once instead of at its next tick; other processes find the work at
// their own next tick. Kept on globalThis because Next.js bundles the instrumentation hook (which starts the loops)
// apart from the route handlers (which make work due).

type Waker = () => void;

export type InProcessSignal = {
  /** Registers a loop's wake-up; returns its removal. */
  on: (wake: Waker) => () => void;
  /** Wakes every loop registered in this process. */
  signal: () => void;
};

export function inProcessSignal(name: string): InProcessSignal {
  const key = Symbol.for(`stageboard.${name}.wakers`);
  const wakers = (): Set<Waker> => {
    const holder = globalThis as unknown as Record<symbol, Set<Waker> | undefined>;
    return (holder[key] ??= new Set());
  };
  return {
    on: (wake) => {
      const set = wakers();
      set.add(wake);
      return () => set.delete(wake);
    },
    signal: () => {
      for (const wake of wakers()) wake();
    },
  };
}
