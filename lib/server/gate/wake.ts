import "server-only";
import { inProcessSignal } from "@/lib/server/jobs/in-process-signal";

// A webhook delivery processed here that made a commit due at a release gate wakes this process's gate loop at once:
// the gate's promise is a start within a second of the last check passing.
export const gateDue = inProcessSignal("release-gate");
