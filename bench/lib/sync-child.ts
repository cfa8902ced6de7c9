// The sync engine as a child process, so a benchmark can kill it with SIGKILL mid-run and start another.
// Configuration comes from the environment: DATABASE_URL, SANDBOX_URL, SYNC_RPS, WORKER_ID, SYNC_MODE.
// SYNC_MODE=loop (default) runs the engine's own loop on the real clock. SYNC_MODE=lockstep serves the live
// phase's manual clock: for every `drain` line on stdin it reads the sandbox clock over HTTP (the parent
// moves it only between drains, so one read is exact for the whole drain), steps every due pipeline until
// none is due, and answers `done <steps>`; the parent may kill it at any moment of a drain.
import { createInterface } from "node:readline";
import pino from "pino";
import { createDb } from "@/lib/server/db/client";
import { startSyncEngine, syncOnce } from "@/lib/server/sync/engine";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";

const url = process.env.DATABASE_URL;
const endpoint = process.env.SANDBOX_URL;
if (!url || !endpoint) {
  console.error("DATABASE_URL and SANDBOX_URL are required");
  process.exit(2);
}
const db = createDb(url, 10);
const logger = pino({ level: "warn" }, pino.destination(2));
const targets = [{ id: "sandbox", region: "us-east-1", endpoint }];
const requestsPerSecond = Number(process.env.SYNC_RPS ?? "10");

if (process.env.SYNC_MODE === "lockstep") {
  let clock = 0;
  const options = {
    db,
    logger,
    targets,
    now: () => clock,
    random: Math.random,
    workerId: process.env.WORKER_ID,
    settings: { ...DEFAULT_SETTINGS, requestsPerSecond },
  };
  // Lines are handled one at a time: the parent sends the next drain only after this one's answer.
  let queue = Promise.resolve();
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line !== "drain") return;
    queue = queue.then(async () => {
      try {
        const res = await fetch(`${endpoint}/_sandbox/clock`);
        clock = ((await res.json()) as { now: number }).now;
        let steps = 0;
        for (let i = 0; i < 50; i++) {
          const round = await syncOnce(options);
          steps += round.steps.length;
          if (round.steps.length === 0) break;
        }
        process.stdout.write(`done ${steps}\n`);
      } catch (error) {
        // The in-process drain would throw too: the parent stops the run with this message.
        process.stdout.write(
          `failed ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ")}\n`,
        );
      }
    });
  });
  process.stdin.on("end", () => void queue.then(() => db.$disconnect()).then(() => process.exit(0)));
} else {
  startSyncEngine({
    db,
    logger,
    targets,
    workerId: process.env.WORKER_ID,
    settings: { ...DEFAULT_SETTINGS, requestsPerSecond, tickMs: 50 },
  });
}
process.stdout.write("ready\n");
