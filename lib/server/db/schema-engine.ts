import "server-only";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MIGRATIONS_DIR, SCHEMA_PATH } from "@/lib/server/db/paths";

// Prisma's native migration engine is a download; the same engine compiled to WebAssembly ships in
// npm, so migrations are applied through it over @prisma/adapter-pg. The result is what
// `prisma migrate deploy` produces: the same `_prisma_migrations` rows, the same layout on disk.

export { MIGRATIONS_DIR, SCHEMA_PATH };
const EMPTY_FILTER = { externalTables: [], externalEnums: [] };

let glueReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  glueReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": engineGlue as unknown as WebAssembly.ModuleImports,
    });
    engineGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return glueReady;
}

type WholeScriptAdapter = {
  dispose(): Promise<void>;
  executeScript(script: string): Promise<void>;
  executeRaw(query: { sql: string; args: unknown[]; argTypes: never[] }): Promise<number>;
};

async function openEngine<T>(connectionString: string, run: (engine: SchemaEngine) => Promise<T>) {
  await loadWasm();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  // Freeing the engine does not close the pools it opened; they are tracked and disposed here, so
  // a database can be dropped or used as a template right after a migration.
  const pg = new PrismaPg({ connectionString, max: 2 });
  const opened: { dispose(): Promise<void> }[] = [];
  const track = async <A extends WholeScriptAdapter>(adapter: Promise<A>) => {
    const value = await adapter;
    opened.push(value);
    // adapter-pg's executeScript splits a script at every ";", which cuts function bodies (the change feed's
    // plpgsql triggers) apart. Sent as one query without parameters (PostgreSQL's simple protocol), the script
    // runs whole and in one implicit transaction, as with Prisma's native engine.
    value.executeScript = async (script) => {
      await value.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return value;
  };
  const factory = Object.assign(Object.create(pg) as PrismaPg, {
    connect: () => track(pg.connect()),
    connectToShadowDb: () => track(pg.connectToShadowDb()),
  });
  const engine = await engineGlue.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => undefined)));
  }
}

export async function readMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function applyMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrationsList = await readMigrationList(dir);
  return openEngine(connectionString, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: EMPTY_FILTER });
    return out.appliedMigrationNames;
  });
}

/**
 * SQL that turns a database built from schema `from` (null: empty) into one built from schema `to`.
 * The engine connects on creation, but a diff between two schemas reads nothing from the database:
 * introspecting one through the adapter fails on PostgreSQL's internal `"char"` columns.
 */
export async function diffSchemas(connectionString: string, from: string | null, to: string): Promise<string> {
  const target = (content: string) => ({ tag: "schemaDatamodel" as const, files: [{ path: SCHEMA_PATH, content }] });
  return openEngine(connectionString, async (engine) => {
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : target(from),
      to: target(to),
      script: true,
      exitCode: null,
      filters: EMPTY_FILTER,
    });
    return result.stdout ?? "";
  });
}
