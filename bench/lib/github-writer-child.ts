// The GitHub write-back loop alone, as `npm run worker` and the app start it (lib/server/writeback/start.ts), for
// the write-back benchmark's phases that must not sync: the backlog drain, and the catch-up after the busy stretch
// (the sync stopped, so the state compared with GitHub afterwards no longer moves). Its configuration is the
// product's own environment (DATABASE_URL, GITHUB_APP_*, WRITEBACK_*), read as every process of the app reads it.
export {};
const [{ db }, { logger }, { startConfiguredWriteback }] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/logger"),
  import("@/lib/server/writeback/start"),
]);
const writeback = startConfiguredWriteback(db, logger);
process.stdout.write("ready\n");
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void writeback
      .stop()
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
