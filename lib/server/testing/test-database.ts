import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "@/lib/server/db/client";

const TEMPLATE_DB = "stageboard_template";

export type TestDatabase = { url: string; db: Db; drop(): Promise<void> };

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("databaseAdminUrl") });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, fully migrated database of its own; call `drop()` in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  // Cloning needs the template to have no other session, so clones are taken one at a time.
  await admin(async (client) => {
    await client.query("SELECT pg_advisory_lock(4242)");
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB} STRATEGY FILE_COPY`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(4242)");
    }
  });
  const url = new URL(inject("databaseAdminUrl"));
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 5);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.$disconnect();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
