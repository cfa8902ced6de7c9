// The sync engine's front door: what the app, the worker, tests and benchmarks start it with.
// How it works, room by room, is in ./README.md.
import "server-only";

export { startSyncEngine, syncOnce, retryDelayMs, MAX_RETRY_MS } from "./run/engine";
export type { SyncEngine, SyncEngineOptions, SyncRound } from "./run/engine";
