// A signed-in user made straight in the database, as next-auth would have stored one: an admin
// who reads every repository, with a session. The repository list is dated in the future so the
// app never asks GitHub about it.
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface BenchUser {
  /** The Cookie header that signs requests in. */
  cookie: string;
  remove(): Promise<void>;
}

export async function createBenchUser(databaseUrl: string): Promise<BenchUser> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const id = `bench_${randomBytes(8).toString("hex")}`;
  const sessionToken = randomBytes(24).toString("hex");
  try {
    // githubId must be unique: a high random value no real or seeded user has.
    await client.query(
      `INSERT INTO "User" (id, "githubId", login, name, "updatedAt", "reposFetchedAt", "isAdmin") VALUES ($1, $2, $3, $3, now(), now() + interval '1 day', true)`,
      [id, 1_900_000_000 + (randomBytes(3).readUIntBE(0, 3) % 200_000_000), id],
    );
    await client.query(
      `INSERT INTO "UserRepository" ("userId", "fullName", permission, "githubId") SELECT $1, lower("fullName"), 'read', "githubId" FROM "Repository" WHERE "githubId" IS NOT NULL`,
      [id],
    );
    await client.query(
      `INSERT INTO "Session" (id, "tokenHash", "userId", expires) VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'), $1, now() + interval '1 day')`,
      [id, sessionToken],
    );
  } finally {
    await client.end();
  }
  return {
    cookie: `next-auth.session-token=${sessionToken}`,
    async remove() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        // Sessions and repository rows cascade.
        await c.query(`DELETE FROM "User" WHERE id = $1`, [id]);
      } finally {
        await c.end();
      }
    },
  };
}
