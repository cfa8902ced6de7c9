// The process that delivers write-back, as a child the benchmark can SIGKILL and start again: `worker` is
// `npm run worker` itself (scripts/worker.ts: the sync engine, the write-back loop and the rest, as production
// runs them), `writer` the write-back loop alone (bench/lib/github-writer-child.ts).
import { spawn, type ChildProcess } from "node:child_process";

export type WriterKind = "worker" | "writer";

export interface Writer {
  readonly kind: WriterKind;
  readonly kills: number;
  /** SIGKILL, then a new one with the same environment. */
  killAndRestart(): Promise<void>;
  /** SIGTERM (the process's own shutdown), SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** The last lines it printed, for error messages. */
  output(): string;
}

const SCRIPTS: Record<WriterKind, string> = {
  worker: "scripts/worker.ts",
  writer: "bench/lib/github-writer-child.ts",
};

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startWriter(kind: WriterKind, env: Record<string, string>): Promise<Writer> {
  let tail = "";
  let kills = 0;
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-6000));
  const launch = async () => {
    // BENCH_PROFILE_DIR: a CPU profile of each delivering process, written there when it exits.
    const profile = process.env.BENCH_PROFILE_DIR
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
    const child = spawn(process.execPath, [...profile, "--conditions=react-server", "--import", "tsx", SCRIPTS[kind]], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    // The worker logs as JSON once started; the writer child says "ready". Either way it is up once it said anything
    // about having started, or it exits and the run stops with what it printed.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${kind} did not start within 60 s:\n${tail}`)), 60_000);
      const check = () => {
        if (/ready\n|sync worker started/.test(tail)) {
          clearTimeout(timer);
          child.stdout.off("data", check);
          child.stderr.off("data", check);
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the ${kind} exited during start-up (${signal ?? code}):\n${tail}`));
      });
    });
    return child;
  };
  let child = await launch();
  return {
    kind,
    get kills() {
      return kills;
    },
    async killAndRestart() {
      child.kill("SIGKILL");
      await exited(child);
      kills++;
      child = await launch();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.kill("SIGTERM");
      await exited(child);
      clearTimeout(timer);
    },
    output: () => tail,
  };
}
