// The engine's settings, for callers outside the engine (the database pool is sized from them).
import "server-only";

export { DEFAULT_SETTINGS, settingsFromEnv } from "./config/settings";
export type { SyncSettings } from "./config/settings";
