// A throwaway embedded Postgres for a benchmark run, migrated, with a fresh database per phase.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/server/db/client";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { applyMigrations } from "@/lib/server/db/schema-engine";

export interface BenchDb {
  newDatabase(name: string): Promise<{ url: string; db: Db }>;
  stop(): Promise<void>;
}

export async function startBenchDb(): Promise<BenchDb> {
  const dir = mkdtempSync(path.join(tmpdir(), "stageboard-bench-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  const opened: Db[] = [];
  return {
    async newDatabase(name) {
      const url = await server.createDatabase(name);
      await applyMigrations(url);
      const db = createDb(url, 10);
      opened.push(db);
      return { url, db };
    },
    async stop() {
      for (const db of opened) await db.$disconnect().catch(() => {});
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
