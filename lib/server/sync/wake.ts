import "server-only";

// A sync requested in this process (a command's re-sync after an approval or a retry) wakes this process's
// engine at once instead of at its next tick, so the command's effect is fetched a tick sooner. Another
// process's engine still finds the request at its own next tick. Kept on globalThis because Next.js bundles
// the instrumentation hook (which starts the engine) apart from the route handlers (which request syncs).

type Waker = () => void;
const KEY = Symbol.for("stageboard.sync.wakers");

function wakers(): Set<Waker> {
  const holder = globalThis as unknown as { [KEY]?: Set<Waker> };
  return (holder[KEY] ??= new Set());
}

/** Registers an engine's wake-up; returns its removal. */
export function onSyncRequested(wake: Waker): () => void {
  const set = wakers();
  set.add(wake);
  return () => set.delete(wake);
}

/** Tells every engine in this process that a pipeline was made due now. */
export function signalSyncRequested(): void {
  for (const wake of wakers()) wake();
}
