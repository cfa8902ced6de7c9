// Vitest global setup: one embedded PostgreSQL per test run, migrated once into a template database
// from which every test file clones its own database (CREATE DATABASE … TEMPLATE is a file copy).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { applyMigrations } from "@/lib/server/db/schema-engine";

export const TEMPLATE_DB = "stageboard_template";

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_ADMIN_URL;
  let stop = async () => {};
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), "stageboard-test-"));
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
    adminUrl = await server.createDatabase("postgres");
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const base = new URL(adminUrl);
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  base.pathname = `/${TEMPLATE_DB}`;
  await applyMigrations(base.toString());
  project.provide("databaseAdminUrl", adminUrl);
  return stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseAdminUrl: string;
  }
}
