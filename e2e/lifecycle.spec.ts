import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { findFreePort } from "../lib/server/net/free-port";
import { embeddedDatabaseUrl } from "./environment";

// A second Stageboard next to the e2e stack, reusing the production build: start, stop with SIGTERM,
// start again. Its ports and data folder are its own for each run of the test (its sandbox and GitHub
// stand-in pick free ports themselves), so it shares nothing with the e2e stack or another run.
type Instance = { dataDir: string; port: number; pgPort: number };
type Run = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

function startStageboard({ dataDir, port, pgPort }: Instance): Run {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      STAGEBOARD_DATA_DIR: dataDir,
      STAGEBOARD_POSTGRES_PORT: String(pgPort),
      STAGEBOARD_SANDBOX_PIPELINES: "12",
      STAGEBOARD_SANDBOX_HISTORY_DAYS: "2",
      SYNC_REQUESTS_PER_SECOND: "100",
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      GITHUB_CLIENT_ID: "",
      AWS_REGION: "",
      STAGEBOARD_TARGETS: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

async function waitForRunning(run: Run) {
  await expect.poll(() => run.output(), { timeout: 120_000, intervals: [250] }).toContain("Stageboard is running");
}

async function countPipelines({ dataDir, pgPort }: Instance): Promise<number> {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir, pgPort) });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Pipeline"`);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

// A whole second stack takes most of this machine's CPU for a while: it runs alone, after the other specs
// (@serial, playwright.config.ts), so that neither it nor they run out of time for want of CPU.
test(
  "start, stop on SIGTERM, start again: healthy, data kept, no migration applied twice @slow",
  {
    tag: "@serial",
  },
  async ({}, testInfo) => {
    test.setTimeout(300_000);
    const instance: Instance = {
      dataDir: `.data/e2e-lifecycle-${testInfo.workerIndex}-${testInfo.repeatEachIndex}-${process.pid}`,
      port: await findFreePort(),
      pgPort: await findFreePort(),
    };
    const { dataDir, port } = instance;
    rmSync(dataDir, { recursive: true, force: true });
    const runs: Run[] = [];
    const start = () => {
      const run = startStageboard(instance);
      runs.push(run);
      return run;
    };
    try {
      const first = start();
      await waitForRunning(first);
      expect(first.output()).toMatch(/Database: applied \d+ migration\(s\)/);
      expect(first.output()).not.toContain("Building the app");
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBeLessThan(503);
      expect(((await health.json()) as { status: string }).status).toMatch(/^(ok|degraded)$/);
      await expect.poll(() => countPipelines(instance), { timeout: 60_000 }).toBe(12);

      first.process.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();

      const startedAt = Date.now();
      const second = start();
      await waitForRunning(second);
      expect(Date.now() - startedAt).toBeLessThan(30_000);
      expect(second.output()).toContain("Database: up to date");
      expect(second.output()).not.toContain("Building the app");
      expect(await countPipelines(instance)).toBe(12);
      const again = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(((await again.json()) as { status: string }).status).not.toBe("down"); // down: a migration pending

      second.process.kill("SIGINT");
      expect(await second.exited).toBe(0);
    } finally {
      // A failed run must not leave its Stageboard (and database) behind.
      for (const run of runs)
        if (run.process.exitCode === null && run.process.signalCode === null) {
          run.process.kill("SIGTERM");
          await run.exited;
        }
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
);
