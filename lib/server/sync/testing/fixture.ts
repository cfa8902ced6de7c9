// Test fixture: an in-process sandbox on the manual clock, a fresh migrated database, a logger that
// keeps its records (tests assert on levels), and a helper that runs sync rounds until nothing is due.
import "server-only";
import { Writable } from "node:stream";
import pino from "pino";
import { vi } from "vitest";
import { startSandbox, type Sandbox, type SandboxOptions } from "@/sandbox";
import type { TargetConfig } from "@/lib/config/schema";
import { resetCodePipelineClients } from "@/lib/server/aws/codepipeline-client";
import type { Logger } from "@/lib/server/logger";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { syncOnce, type SyncEngineOptions } from "../run/engine";
import { DEFAULT_SETTINGS, type SyncSettings } from "../config/settings";

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function capturingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim()) records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), records };
}

export const TEST_SETTINGS: SyncSettings = { ...DEFAULT_SETTINGS, requestsPerSecond: 1000, jitter: 0, tickMs: 20 };

export interface Fixture {
  sandbox: Sandbox;
  database: TestDatabase;
  target: TargetConfig;
  logger: Logger;
  records: LogRecord[];
  now: () => number;
  options(overrides?: Partial<SyncEngineOptions>): SyncEngineOptions;
  /** Runs rounds until no pipeline is due at the current sandbox time; returns how many rounds ran. */
  drain(overrides?: Partial<SyncEngineOptions>, maxRounds?: number): Promise<number>;
  /** Moves the sandbox clock forward in steps, letting the engine catch up after each. */
  advance(ms: number, stepMs: number, overrides?: Partial<SyncEngineOptions>): Promise<void>;
  control(path: string, body?: unknown): Promise<unknown>;
  stats(): Promise<{ requests: Record<string, number>; throttled: number; stateChanges: { total: number } }>;
  close(): Promise<void>;
}

export async function createFixture(sandboxOptions: SandboxOptions = {}): Promise<Fixture> {
  // The sandbox ignores signatures, but the SDK's default credential chain needs something to sign with.
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
  const sandbox = await startSandbox({
    port: 0,
    clock: "manual",
    pipelines: 4,
    historyDays: 2,
    seed: "sync-tests",
    ...sandboxOptions,
  });
  const database = await createTestDatabase();
  const { logger, records } = capturingLogger();
  const target: TargetConfig = { id: "sandbox", region: "us-east-1", endpoint: sandbox.url };
  const now = () => sandbox.world.clock.now();
  const options = (overrides: Partial<SyncEngineOptions> = {}): SyncEngineOptions => ({
    db: database.db,
    logger,
    targets: [target],
    now,
    random: () => 0.5,
    workerId: "test-worker",
    settings: TEST_SETTINGS,
    ...overrides,
  });
  const control = async (path: string, body?: unknown) => {
    const res = await fetch(
      `${sandbox.url}/_sandbox/${path}`,
      body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
    );
    return res.json() as Promise<unknown>;
  };
  const drain = async (overrides: Partial<SyncEngineOptions> = {}, maxRounds = 200) => {
    for (let round = 1; round <= maxRounds; round++) {
      const { steps } = await syncOnce(options(overrides));
      if (steps.length === 0) return round;
    }
    throw new Error("sync did not settle");
  };
  return {
    sandbox,
    database,
    target,
    logger,
    records,
    now,
    options,
    drain,
    async advance(ms, stepMs, overrides = {}) {
      for (let done = 0; done < ms; done += stepMs) {
        sandbox.advance(Math.min(stepMs, ms - done));
        await drain(overrides);
      }
    },
    control,
    stats: () => control("stats") as ReturnType<Fixture["stats"]>,
    async close() {
      resetCodePipelineClients();
      await sandbox.stop();
      await database.drop();
    },
  };
}
