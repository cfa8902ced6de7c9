import "server-only";
import { inProcessSignal } from "@/lib/server/jobs/in-process-signal";

// A sync requested in this process (a command's re-sync after an approval or a retry) wakes this process's
// engine at once instead of at its next tick, so the command's effect is fetched a tick sooner. Another
// process's engine still finds the request at its own next tick.

const syncRequested = inProcessSignal("sync");

/** Registers an engine's wake-up; returns its removal. */
export const onSyncRequested = syncRequested.on;

/** Tells every engine in this process that a pipeline was made due now. */
export const signalSyncRequested = syncRequested.signal;
