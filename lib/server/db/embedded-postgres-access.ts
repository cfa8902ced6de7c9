import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import {
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

// PostgreSQL refuses to run as root, so as root the embedded server runs as an unprivileged system
// user. That user must reach the server's binaries and its data folder, which it cannot when the
// clone sits under a private folder (root's home is mode 700, so is every `mktemp -d` folder). Rather
// than loosen the person's own folders, what the server needs is placed where it can reach it:
// the binaries are copied once into a root-owned cache, and a data folder it cannot reach is kept in
// a root-owned state folder, linked from the place the person asked for.

export type RunAs = { uid: number; gid: number; name: string };

const CACHE_ROOT = "/var/cache/stageboard";
const STATE_ROOT = "/var/lib/stageboard";

/** Whether `user` can open `target` with the given `test` flags (every parent folder included). */
export function userCan(user: RunAs, flags: string, target: string): boolean {
  const result = spawnSync("/bin/sh", ["-c", `test ${flags} "$1"`, "sh", target], {
    uid: user.uid,
    gid: user.gid,
    stdio: "ignore",
  });
  return result.status === 0;
}

/** A folder only root can write to, so nobody else can plant binaries or data in it. */
function ensureRootOwnedFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  const stat = lstatSync(folder);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${folder} must be a folder owned by root and writable only by root`);
  }
}

/**
 * The folder holding `bin/`, `lib/` and `share/` of a PostgreSQL the user can run: the package's own
 * when reachable, else a copy in a root-owned cache, keyed by the package's version and location.
 */
export function reachableNativeFolder(nativeFolder: string, user: RunAs): string {
  if (userCan(user, "-x", path.join(nativeFolder, "bin", "postgres"))) return nativeFolder;
  const manifest = path.join(nativeFolder, "..", "package.json");
  const version = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version
    : undefined;
  const key = createHash("sha256")
    .update(`${nativeFolder}\0${version ?? ""}`)
    .digest("hex")
    .slice(0, 12);
  ensureRootOwnedFolder(CACHE_ROOT);
  const copy = path.join(CACHE_ROOT, `postgres-${version ?? "unknown"}-${key}`);
  if (existsSync(path.join(copy, ".complete"))) return copy;
  // Copied under a temporary name and renamed, so concurrent starts never run a half-copied server.
  const partial = `${copy}.${randomBytes(4).toString("hex")}.partial`;
  cpSync(nativeFolder, partial, { recursive: true, verbatimSymlinks: true });
  writeFileSync(path.join(partial, ".complete"), "");
  try {
    renameSync(partial, copy);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another start finished its copy first
  }
  return copy;
}

/**
 * The real data folder for `dataDir`: itself when the user can reach its parent, else a folder in
 * the root-owned state folder that `dataDir` links to (created on first use).
 */
export function reachableDataFolder(dataDir: string, user: RunAs): string {
  const parent = path.dirname(dataDir);
  if (userCan(user, "-x", parent)) return dataDir;
  const key = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
  const linked = existsSync(dataDir) || isLink(dataDir) ? lstatSync(dataDir) : undefined;
  if (linked && !linked.isSymbolicLink()) {
    throw new Error(
      `PostgreSQL runs as the system user ${user.name}, which cannot reach ${dataDir} (a parent folder is private). ` +
        `Move the data elsewhere with STAGEBOARD_DATA_DIR=/var/lib/stageboard/data, or use DATABASE_URL`,
    );
  }
  ensureRootOwnedFolder(STATE_ROOT);
  // A link made earlier is followed; one whose target was cleaned away gets a fresh, empty target.
  const target = linked
    ? path.resolve(parent, readlinkSync(dataDir))
    : path.join(STATE_ROOT, `${path.basename(dataDir)}-${key}`);
  if (!existsSync(target)) {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    chownSync(target, user.uid, user.gid);
  }
  if (!linked) symlinkSync(target, dataDir);
  return target;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
