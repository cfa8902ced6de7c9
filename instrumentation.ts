// Runs once per server process: starts the sync engine inside the app (unless SYNC_IN_APP=false,
// when `npm run worker` processes do the syncing) and installs the graceful shutdown.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startAppRuntime } = await import("./lib/server/runtime/app-runtime");
  startAppRuntime();
}
