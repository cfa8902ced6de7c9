// The sync engine as a child process, so a benchmark can kill it with SIGKILL mid-run and start another.
// Configuration comes from the environment: DATABASE_URL, SANDBOX_URL, SYNC_RPS, WORKER_ID.
import pino from "pino";
import { createDb } from "@/lib/server/db/client";
import { startSyncEngine } from "@/lib/server/sync/engine";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";

const url = process.env.DATABASE_URL;
const endpoint = process.env.SANDBOX_URL;
if (!url || !endpoint) {
  console.error("DATABASE_URL and SANDBOX_URL are required");
  process.exit(2);
}
const db = createDb(url, 10);
const logger = pino({ level: "warn" }, pino.destination(2));
startSyncEngine({
  db,
  logger,
  targets: [{ id: "sandbox", region: "us-east-1", endpoint }],
  workerId: process.env.WORKER_ID,
  settings: { ...DEFAULT_SETTINGS, requestsPerSecond: Number(process.env.SYNC_RPS ?? "10"), tickMs: 50 },
});
process.stdout.write("ready\n");
