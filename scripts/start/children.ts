import { spawn, type ChildProcess } from "node:child_process";

export type Child = { name: string; process: ChildProcess; url?: string; stop(timeoutMs?: number): Promise<void> };

/**
 * Spawns a helper server in the launcher's process group (so it never outlives the launcher, even
 * after a SIGKILL of the group) and waits for its `listening on <url>` line.
 */
export function spawnServer(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Child & { url: string }> {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /listening on (http:\/\/\S+)/.exec(output.join(""));
      if (match?.[1]) {
        child.stdout?.off("data", onData);
        resolve({ name, process: child, url: match[1], stop: (timeoutMs) => stopChild(child, timeoutMs) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`${name} exited (code ${code}) before it was ready: ${output.join("").trim().slice(-600)}`)),
    );
  });
}

export function stopChild(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
