import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { embeddedDatabaseUrl } from "./environment";

// A second Stageboard next to the e2e stack, on its own ports and data folder, reusing the
// production build: start, stop with SIGTERM, start again.
const DATA_DIR = ".data/e2e-lifecycle";
const PORT = 3140;
const PG_PORT = 5498;

type Run = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

function startStageboard(): Run {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      STAGEBOARD_DATA_DIR: DATA_DIR,
      STAGEBOARD_POSTGRES_PORT: String(PG_PORT),
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

async function countPipelines(): Promise<number> {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(DATA_DIR, PG_PORT) });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Pipeline"`);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

test.describe.configure({ mode: "serial" });

test("start, stop on SIGTERM, start again: healthy, data kept, no migration applied twice @slow", async () => {
  test.setTimeout(300_000);
  rmSync(DATA_DIR, { recursive: true, force: true });

  const first = startStageboard();
  await waitForRunning(first);
  expect(first.output()).toMatch(/Database: applied \d+ migration\(s\)/);
  expect(first.output()).not.toContain("Building the app");
  const health = await fetch(`http://127.0.0.1:${PORT}/api/health`);
  expect(health.status).toBeLessThan(503);
  expect(((await health.json()) as { status: string }).status).toMatch(/^(ok|degraded)$/);
  await expect.poll(countPipelines, { timeout: 60_000 }).toBe(12);

  first.process.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  expect(existsSync(path.join(DATA_DIR, "postgres", "postmaster.pid"))).toBe(false);
  await expect(fetch(`http://127.0.0.1:${PORT}/api/health`)).rejects.toThrow();

  const startedAt = Date.now();
  const second = startStageboard();
  await waitForRunning(second);
  expect(Date.now() - startedAt).toBeLessThan(30_000);
  expect(second.output()).toContain("Database: up to date");
  expect(await countPipelines()).toBe(12);
  const again = await fetch(`http://127.0.0.1:${PORT}/api/health`);
  expect(((await again.json()) as { status: string }).status).not.toBe("down"); // down: a migration pending

  second.process.kill("SIGINT");
  expect(await second.exited).toBe(0);
});
