import "server-only";
import type { Logger } from "@/lib/server/logger";

// The loop every background queue runs beside the sync engine (notifications, GitHub write-back): one pass at a time
// per process, woken by change feed signals and otherwise every tickMs (for retries that come due), at once again
// when a pass says there is more, and five times slower while passes fail (logged once per failing spell). A pass
// never throws out of here, so a broken queue can neither crash the process nor slow the sync engine.

export type LoopOptions = {
  /** What the log lines call it ("notifications", "GitHub write-back"). */
  name: string;
  logger: Pick<Logger, "warn" | "info">;
  /** One pass; `again`: more work is due now. */
  pass: () => Promise<{ again: boolean }>;
  tickMs: number;
  /** Wake-ups from the change feed listener; returns the unsubscribe. */
  signals?: (wake: () => void) => () => void;
};

export type WakeableLoop = { stop(): Promise<void>; wake(): void };

export function startWakeableLoop(options: LoopOptions): WakeableLoop {
  const { tickMs, logger, name } = options;
  let stopping = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failing = false;
  let running: Promise<void> = Promise.resolve();
  let busy = false;

  const schedule = (ms: number) => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(wake, ms);
    timer.unref?.();
  };

  async function pass(): Promise<void> {
    try {
      if ((await options.pass()).again) again = true;
      if (failing) logger.info(`${name} recovered`);
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ err: error }, `${name} pass failed; retrying`);
      failing = true;
    }
  }

  function wake(): void {
    if (stopping) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = pass().finally(() => {
      busy = false;
      const now = again;
      again = false;
      schedule(now ? 0 : failing ? tickMs * 5 : tickMs);
    });
  }

  const unsubscribe = options.signals?.(wake);
  wake();
  return {
    wake,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      unsubscribe?.();
      await running;
    },
  };
}
