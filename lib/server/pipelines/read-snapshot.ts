import "server-only";

/** Pipeline.state is read only through the sync engine's snapshot module (versioned, migrated on read). */
export { readSnapshot } from "@/lib/server/sync/snapshot/stored-state";
