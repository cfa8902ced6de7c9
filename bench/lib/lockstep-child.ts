// The live phase's sync process as a child (bench/lib/sync-child.ts in lockstep mode), so --chaos can
// SIGKILL it in the middle of a drain and start another one, as a crashed and restarted worker would be.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";

/** bench/lib/sync-child.ts; `lines` pipes stdin and stdout (lockstep mode), `quiet` ignores both. */
export function spawnSyncChild(env: Record<string, string>, stdio: "lines" | "quiet"): ChildProcess {
  return spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/lib/sync-child.ts"], {
    env: {
      ...process.env,
      LOG_LEVEL: "warn",
      // A process with a DATABASE_URL refuses to start without secrets of its own; the sync signs and
      // decrypts nothing, so throwaway ones do.
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...env,
    },
    stdio: stdio === "lines" ? ["pipe", "pipe", "inherit"] : ["ignore", "ignore", "inherit"],
  });
}

export interface LockstepSync {
  /** Steps every due pipeline at the sandbox's current time until none is due. */
  drain(): Promise<void>;
  /**
   * Starts a drain and, if it is still running `afterMs` later, SIGKILLs the child there, starts a new one
   * and drains again with it. Resolves to whether it killed (a drain that finished first is left alone).
   */
  drainOrKill(afterMs: number): Promise<boolean>;
  readonly kills: number;
  stop(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  next(): Promise<string>;
}

function startChild(databaseUrl: string, sandboxUrl: string, rps: number, id: string): Promise<Child> {
  const child = spawnSyncChild(
    { DATABASE_URL: databaseUrl, SANDBOX_URL: sandboxUrl, SYNC_RPS: String(rps), WORKER_ID: id, SYNC_MODE: "lockstep" },
    "lines",
  );
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(`exit ${signal ?? code}`)),
  );
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  const next = () => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  };
  return next().then((line) => {
    if (line !== "ready") throw new Error(`the sync child did not start: ${line}`);
    return { process: child, next };
  });
}

export async function startLockstepSync(databaseUrl: string, sandboxUrl: string, rps: number): Promise<LockstepSync> {
  let generation = 1;
  let child = await startChild(databaseUrl, sandboxUrl, rps, `lockstep-${generation}`);
  let kills = 0;
  const drain = async () => {
    child.process.stdin!.write("drain\n");
    const answer = await child.next();
    if (!answer.startsWith("done")) throw new Error(`the sync child's drain failed: ${answer}`);
  };
  return {
    drain,
    async drainOrKill(afterMs) {
      const dying = child;
      dying.process.stdin!.write("drain\n");
      const answer = await Promise.race([dying.next(), new Promise<null>((r) => setTimeout(() => r(null), afterMs))]);
      if (answer !== null) {
        if (!answer.startsWith("done")) throw new Error(`the sync child's drain failed: ${answer}`);
        return false;
      }
      if (dying.process.exitCode === null && dying.process.signalCode === null) {
        const exited = new Promise((resolve) => dying.process.once("exit", resolve));
        dying.process.kill("SIGKILL");
        await exited;
      }
      kills++;
      generation++;
      // A new worker id, as a restarted process has: the dead one's leases lapse on the sandbox clock.
      child = await startChild(databaseUrl, sandboxUrl, rps, `lockstep-${generation}`);
      await drain();
      return true;
    },
    get kills() {
      return kills;
    },
    async stop() {
      const exited = new Promise((resolve) => child.process.once("exit", resolve));
      child.process.stdin!.end();
      const timer = setTimeout(() => child.process.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
