import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { DEFAULT_SETTINGS } from "@/lib/server/sync/settings";

export interface DbTimeouts {
  /** Longest wait for a pooled connection, opening a new one included (pg's connectionTimeoutMillis). */
  connectTimeoutMs: number;
  /** Server-side statement_timeout; the client gives up 1 s later when the server does not answer at all. */
  statementTimeoutMs: number;
}

/** Connections a request may need besides the sync engine's, so pages never queue behind sync steps. */
export const REQUEST_CONNECTIONS = 10;

/**
 * Unless DATABASE_POOL_SIZE says otherwise: each of the engine's concurrent sync steps holds at most one
 * connection at a time, so a process that syncs (the app with SYNC_IN_APP, or a worker) gets one per step
 * plus REQUEST_CONNECTIONS for requests, lease renewal and discovery; an app that leaves syncing to
 * workers gets REQUEST_CONNECTIONS.
 */
export function defaultPoolSize(config: { poolSize?: number | undefined; syncInApp: boolean }): number {
  if (config.poolSize !== undefined) return config.poolSize;
  return config.syncInApp ? DEFAULT_SETTINGS.concurrency + REQUEST_CONNECTIONS : REQUEST_CONNECTIONS;
}

// A stalled database must fail a request within seconds, not hang it (and every request queued behind
// it): waiting for a connection is bounded, the server cancels long statements, and a server that stops
// answering altogether is given up on client-side (that connection is then dropped, not reused).
// Transactions left idle (a step that died between statements) release their locks after 10 s.
function poolConfig(connectionString: string, poolSize: number, t: DbTimeouts) {
  return {
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: t.connectTimeoutMs,
    statement_timeout: t.statementTimeoutMs,
    query_timeout: t.statementTimeoutMs + 1_000,
    idle_in_transaction_session_timeout: Math.max(10_000, 2 * t.statementTimeoutMs),
    keepAlive: true,
  };
}

export function createDb(
  connectionString: string,
  poolSize = defaultPoolSize({ poolSize: env.DATABASE_POOL_SIZE, syncInApp: env.SYNC_IN_APP }),
  timeouts: Partial<DbTimeouts> = {},
) {
  const t: DbTimeouts = {
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    ...timeouts,
  };
  return new PrismaClient({
    adapter: new PrismaPg(poolConfig(connectionString, poolSize, t)),
    // Tokens are stored encrypted, and still never loaded unless a query asks for them by name.
    omit: { account: { access_token: true, refresh_token: true, id_token: true } },
  });
}

export type Db = ReturnType<typeof createDb>;

const globalForDb = globalThis as unknown as { stageboardDb?: Db };

/**
 * The app's client; reused across hot reloads in development so connections are not leaked.
 * The pool connects lazily, so `next build` can import this without a database; `npm start`
 * always provides DATABASE_URL (the embedded server's when none is configured).
 */
export const db: Db = globalForDb.stageboardDb ?? createDb(env.DATABASE_URL ?? "postgresql://127.0.0.1:1/unconfigured");
if (env.NODE_ENV !== "production") globalForDb.stageboardDb = db;
