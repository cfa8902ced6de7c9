// npm run db:migrate – applies pending migrations (DATABASE_URL, or the embedded server).
import { resolveDatabase } from "@/lib/server/db/resolve-database";
import { applyMigrations } from "@/lib/server/db/schema-engine";

const database = await resolveDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.STAGEBOARD_DATA_DIR ?? ".data",
});
try {
  const applied = await applyMigrations(database.url);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.",
  );
} finally {
  await database.stop();
}
