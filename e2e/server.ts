// The end-to-end stack: `npm start` on a fresh data folder with fixed ports, a small demo fleet on
// the sandbox's manual clock (tests move time themselves), and fast sync intervals.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { E2E, embeddedDatabaseUrl } from "./environment";

if (process.env.DATABASE_URL && !/@(localhost|127\.0\.0\.1)[:/]/.test(process.env.DATABASE_URL)) {
  console.error("Refusing to run end-to-end tests against a non-local DATABASE_URL");
  process.exit(1);
}
stopLeftoverPostgres(path.join(E2E.dataDir, "postgres"));
rmSync(E2E.dataDir, { recursive: true, force: true });
mkdirSync(E2E.dataDir, { recursive: true });
// Everything the stack prints is also kept in a file, so a spec can prove no secret reaches the logs.
const log = createWriteStream(E2E.serverLog);
const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    DATABASE_URL: "",
    STAGEBOARD_TARGETS: "",
    AWS_REGION: "",
    GITHUB_CLIENT_ID: "",
    PORT: String(E2E.appPort),
    STAGEBOARD_DATA_DIR: E2E.dataDir,
    STAGEBOARD_POSTGRES_PORT: String(E2E.postgresPort),
    STAGEBOARD_SANDBOX_PORT: new URL(E2E.sandboxUrl).port,
    STAGEBOARD_GITHUB_PORT: new URL(E2E.githubUrl).port,
    STAGEBOARD_SANDBOX_CLOCK: "manual",
    STAGEBOARD_SANDBOX_PIPELINES: "16",
    STAGEBOARD_SANDBOX_HISTORY_DAYS: "3",
    STAGEBOARD_SANDBOX_SEED: "7",
    SYNC_ACTIVE_INTERVAL_MS: "1000",
    SYNC_IDLE_INTERVAL_MS: "2000",
    SYNC_RECONCILE_INTERVAL_MS: "3000",
    SYNC_REQUESTS_PER_SECOND: "200",
    REPOSITORY_CACHE_TTL_SECONDS: "10",
    // The stand-in enforces no content budget here; GitHub's would make the specs wait minutes for the demo fleet.
    WRITEBACK_CONTENT_PER_MINUTE: "80000",
    WRITEBACK_CONTENT_PER_HOUR: "1000000",
    LOG_LEVEL: "info",
  },
});
/** A database left running by an interrupted run would hold the fixed port; stop it first. */
function stopLeftoverPostgres(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 100 && existsSync(pidFile); i++)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
}

let announced = false;
child.stdout?.on("data", (chunk: Buffer) => {
  log.write(chunk);
  if (!announced && chunk.toString().includes("Stageboard is running")) {
    announced = true;
    void announceWhenSynced();
  }
});
child.stderr?.on("data", (chunk: Buffer) => {
  log.write(chunk);
  process.stderr.write(chunk);
});
/**
 * Specs start once the first sync has discovered and backfilled the whole demo fleet, so none of them
 * races the initial backfill (playwright.config.ts waits for this line).
 */
async function announceWhenSynced() {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(E2E.dataDir, E2E.postgresPort) });
  await client.connect();
  const deadline = Date.now() + 240_000;
  try {
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ total: string; done: string }>(
        `SELECT count(*) AS total, count(*) FILTER (WHERE s."backfillDone" AND p.state IS NOT NULL) AS done
           FROM "Pipeline" p JOIN "PipelineSync" s ON s."pipelineId" = p.id`,
      );
      const row = rows[0];
      if (row && Number(row.total) > 0 && row.total === row.done) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await client.end();
  }
  process.stderr.write("e2e stack synced\n");
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
