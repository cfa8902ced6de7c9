// The webhook-receiving process of the release gate benchmark (bench/lib/gate-receiver-child.ts) as a child that
// can be SIGKILLed and started again on the same port, with the same environment.
import { spawn, type ChildProcess } from "node:child_process";

export interface Receiver {
  readonly kills: number;
  killAndRestart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

export async function startReceiver(env: Record<string, string>, port: number): Promise<Receiver> {
  let tail = "";
  let kills = 0;
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8000));
  const launch = async () => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "bench/lib/gate-receiver-child.ts"],
      { env: { ...process.env, ...env, GATE_RECEIVER_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the receiver did not start within 60 s:\n${tail}`)), 60_000);
      const check = () => {
        if (!tail.includes("ready\n")) return;
        clearTimeout(timer);
        child.stdout.off("data", check);
        resolve();
      };
      child.stdout.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the receiver exited during start-up (${signal ?? code}):\n${tail}`));
      });
    });
    return child;
  };
  let child = await launch();
  return {
    get kills() {
      return kills;
    },
    async killAndRestart(downMs = 0) {
      child.kill("SIGKILL");
      await exited(child);
      kills++;
      tail = "";
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
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
