import "server-only";
import { readdir } from "node:fs/promises";
import { STALE_AFTER_MS } from "@/lib/server/constants";
import type { Db } from "@/lib/server/db/client";
import { MIGRATIONS_DIR } from "@/lib/server/db/paths";
import { getSyncHealth } from "@/lib/server/sync/run/health";
import { withTimeout, type Timed } from "./with-timeout";

export type HealthStatus = "ok" | "degraded" | "down";

/** The details: for administrators and HEALTH_TOKEN holders only (they name accounts, regions and hosts). */
export type Health = {
  status: HealthStatus;
  /** `error` says which check failed and how, in our words: never a database's or AWS's own text. */
  database: { reachable: boolean; error?: string };
  migrations: { current: boolean; pending: string[] };
  /** No error text: AWS messages can name accounts and roles (they are logged). */
  targets: {
    id: string;
    lastSuccessAt: string | null;
    ageSeconds: number | null;
    stale: boolean;
    failing: boolean;
    throttled: boolean;
    pipelinesAwaitingConnections: number;
  }[];
};

/** Each database check answers within this, so the whole report (ping, then the rest at once) takes at most twice it. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

function problem(check: string, result: Exclude<Timed<unknown>, { kind: "ok" }>, timeoutMs: number): string {
  return result.kind === "timeout" ? `${check}: no answer within ${timeoutMs} ms` : `${check}: query failed`;
}

// Down (503) means this instance cannot serve: no database, one too slow to answer, or a schema it was not
// built for. A stale target (AWS throttling or down) is "degraded": the instance still serves stored
// history, so a load balancer must not take it out of rotation for that.
export async function getHealth(input: { db: Db; now?: number; timeoutMs?: number }): Promise<Health> {
  const { db } = input;
  const now = input.now ?? Date.now();
  const timeoutMs = input.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const down = (error: string, reachable: boolean): Health => ({
    status: "down",
    database: { reachable, error },
    migrations: { current: false, pending: [] },
    targets: [],
  });
  const ping = await withTimeout(() => db.$queryRawUnsafe("SELECT 1"), timeoutMs);
  if (ping.kind !== "ok") return down(problem("database", ping, timeoutMs), false);
  const [onDisk, applied, sync] = await Promise.all([
    readdir(MIGRATIONS_DIR, { withFileTypes: true }).then((entries) =>
      entries.filter((e) => e.isDirectory()).map((e) => e.name),
    ),
    withTimeout(
      () =>
        db.$queryRawUnsafe<{ migration_name: string }[]>(
          `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        ),
      timeoutMs,
    ),
    withTimeout(() => getSyncHealth(db, now, STALE_AFTER_MS), timeoutMs),
  ]);
  if (applied.kind === "timeout") return down(problem("migrations", applied, timeoutMs), true);
  if (sync.kind !== "ok") return down(problem("sync state", sync, timeoutMs), true);
  // A database never migrated has no _prisma_migrations table: every migration is pending.
  const appliedNames = new Set(applied.kind === "ok" ? applied.value.map((row) => row.migration_name) : []);
  const pending = onDisk.filter((name) => !appliedNames.has(name)).sort();
  const targets = sync.value.map((t) => ({
    id: t.id,
    lastSuccessAt: t.lastSuccessAt,
    ageSeconds: t.ageMs === null ? null : Math.round(t.ageMs / 1000),
    stale: t.stale,
    failing: t.lastError !== null,
    throttled: t.throttled,
    pipelinesAwaitingConnections: t.pipelinesAwaitingConnections,
  }));
  // Pipelines kept from their readers because connections cannot be listed (a missing permission) degrade too.
  const status = pending.length
    ? "down"
    : targets.some((t) => t.stale || t.pipelinesAwaitingConnections > 0)
      ? "degraded"
      : "ok";
  return { status, database: { reachable: true }, migrations: { current: pending.length === 0, pending }, targets };
}
