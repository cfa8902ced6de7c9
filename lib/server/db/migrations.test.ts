import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { diffSchemas, SCHEMA_PATH } from "@/lib/server/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// The database built by replaying every migration must equal the one the current schema describes;
// otherwise someone edited schema.prisma without `npm run db:migration:new`.
async function describeDatabase(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`,
    );
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );
    return {
      columns: columns.rows,
      indexes: indexes.rows,
      constraints: constraints.rows.filter((r: { table_name: string }) => r.table_name !== "_prisma_migrations"),
    };
  } finally {
    await client.end();
  }
}

// Indexes that schema.prisma cannot express (on an expression), so only migrations create them; each is named here
// with where it is used, and must exist after the replay.
const MIGRATION_ONLY_INDEXES = [
  // Commit search by pull request number (lib/server/search/search-commits.ts).
  "Execution_pullRequest_startTime_idx",
];

describe("migrations", () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => Promise.all(databases.map((d) => d.drop())));

  it("replaying prisma/migrations gives exactly the schema in schema.prisma", async () => {
    const migrated = await createTestDatabase();
    const fromSchema = await createTestDatabase();
    databases.push(migrated, fromSchema);
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    await client.query(await diffSchemas(fromSchema.url, null, await readFile(SCHEMA_PATH, "utf8")));
    await client.end();

    const [a, b] = await Promise.all([describeDatabase(migrated.url), describeDatabase(fromSchema.url)]);
    expect(a.columns.length).toBeGreaterThan(50);
    const migrationOnly = (r: { indexname: string }) => MIGRATION_ONLY_INDEXES.includes(r.indexname);
    expect(a.indexes.filter(migrationOnly).map((r: { indexname: string }) => r.indexname)).toEqual(
      MIGRATION_ONLY_INDEXES,
    );
    expect({ ...a, indexes: a.indexes.filter((r: { indexname: string }) => !migrationOnly(r)) }).toEqual(b);
  });

  it("records applied migrations in _prisma_migrations as prisma migrate deploy does", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const rows = await database.db.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(
      `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });
});
