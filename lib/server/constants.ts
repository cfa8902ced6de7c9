import "server-only";
import { env } from "@/lib/env";

export const IS_PRODUCTION = env.NODE_ENV === "production";
export const ACTIVE_POLL_MS = env.SYNC_ACTIVE_INTERVAL_MS;
export const IDLE_POLL_MS = env.SYNC_IDLE_INTERVAL_MS;
export const RECONCILE_POLL_MS = env.SYNC_RECONCILE_INTERVAL_MS;
/** A target whose calls have been failing for longer than this is shown (and reported by /api/health) as stale. */
export const STALE_AFTER_MS = Math.max(60_000, 3 * env.SYNC_ACTIVE_INTERVAL_MS);
