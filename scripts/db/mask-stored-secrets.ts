// Masks secrets already stored (variables' defaults, resolved execution variables, action output
// variables, configuration and declarations) with the rule the sync engine now applies before storing.
// Safe to re-run: a second run rewrites nothing. Run it once after upgrading, and after widening
// SECRET_NAME_PATTERNS.
//   node --conditions=react-server --import tsx scripts/db/mask-stored-secrets.ts
import "dotenv/config";
import { ConfigError } from "@/lib/config/schema";
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
const [{ createDb }, { maskStoredSecrets }] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/secrets/mask-stored"),
]);
const db = createDb(database.url, 2);
try {
  const counts = await maskStoredSecrets(db);
  for (const [table, { scanned, masked }] of Object.entries(counts))
    console.log(`${table}: ${masked} of ${scanned} row(s) masked`);
} finally {
  await db.$disconnect();
  await database.stop();
}
