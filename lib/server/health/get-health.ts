import "server-only";
import { readdir } from "node:fs/promises";
import { STALE_AFTER_MS } from "@/lib/server/constants";
import type { Db } from "@/lib/server/db/client";
import { MIGRATIONS_DIR } from "@/lib/server/db/paths";
import { getSyncHealth } from "@/lib/server/sync/health";

export type Health = {
  status: "ok" | "degraded" | "unhealthy";
  database: { reachable: boolean; error?: string };
  migrations: { current: boolean; pending: string[] };
  /** No error text: this endpoint is unauthenticated, and AWS messages can name accounts and roles (they are logged). */
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

// Unhealthy (503) means this instance cannot serve: no database, or a schema it was not built for.
// A stale target (AWS throttling or down) is "degraded": the instance still serves stored history,
// so a load balancer must not take it out of rotation for that.
export async function getHealth(db: Db, now = Date.now()): Promise<Health> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    return {
      status: "unhealthy",
      database: { reachable: false, error: error instanceof Error ? error.message.split("\n")[0] : "unreachable" },
      migrations: { current: false, pending: [] },
      targets: [],
    };
  }
  const onDisk = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const applied = await db
    .$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    )
    .catch(() => []);
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  const pending = onDisk.filter((name) => !appliedNames.has(name)).sort();
  const targets = (await getSyncHealth(db, now, STALE_AFTER_MS)).map((t) => ({
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
    ? "unhealthy"
    : targets.some((t) => t.stale || t.pipelinesAwaitingConnections > 0)
      ? "degraded"
      : "ok";
  return { status, database: { reachable: true }, migrations: { current: pending.length === 0, pending }, targets };
}
