// npm run db:migration:new <name> – writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the schema as of the last migration (kept as a snapshot beside the
// migrations) and prisma/schema.prisma. Needs no native Prisma engine and no shadow database.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveDatabase } from "@/lib/server/db/resolve-database";
import { diffSchemas, MIGRATIONS_DIR, SCHEMA_PATH } from "@/lib/server/db/schema-engine";

const SNAPSHOT = path.join(MIGRATIONS_DIR, "schema-snapshot.prisma");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration:new <snake_case_name>");
  process.exit(2);
}

const schema = await readFile(SCHEMA_PATH, "utf8");
const previous = existsSync(SNAPSHOT) ? await readFile(SNAPSHOT, "utf8") : null;
const database = await resolveDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.STAGEBOARD_DATA_DIR ?? ".data",
});
try {
  const sql = await diffSchemas(database.url, previous, schema);
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("The schema matches the last migration: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    await writeFile(SNAPSHOT, schema);
    await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await database.stop();
}
