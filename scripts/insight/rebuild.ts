// npm run insight:rebuild – rebuilds the insight rollups (daily counts, duration histograms, production deployments)
// from the stored execution history. Safe while Stageboard runs: the rollups' feed consumer waits for each batch, and
// what it applies afterwards is idempotent. Run it after changing which stages count as production.
import "dotenv/config";
import { ConfigError } from "@/lib/config/schema";
import { applyMigrations } from "@/lib/server/db/schema-engine";
import { resolveDatabase } from "@/lib/server/db/resolve-database";
import { readConfig } from "../start/config";

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
const database = await resolveDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.STAGEBOARD_DATA_DIR });
await applyMigrations(database.url);
const [{ createDb }, { rebuildRollups }] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/insight/rollup/rebuild"),
]);
const db = createDb(database.url, 2);
try {
  const started = Date.now();
  const done = await rebuildRollups(db, (n) => {
    if (n % 10_000 === 0) console.log(`${n} executions applied`);
  });
  console.log(`Rebuilt the insight rollups from ${done} finished execution(s) in ${Date.now() - started} ms`);
} finally {
  await db.$disconnect();
  await database.stop();
}
