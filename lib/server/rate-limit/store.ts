import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { logger } from "@/lib/server/logger";
import { budgetsFrom } from "./budgets";
import { trustedProxyList } from "./client-ip";
import { createRateLimits, type RateLimits } from "./limiter";

// The limiter's own small pool rather than Prisma's: proxy.ts runs in a bundle of its own, and every
// request passes through it, so its queries must fail fast (a slow limiter would slow every page) and
// must not queue behind the app's long reads.

export function createRateLimitPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    // A page request makes up to three queries at once (address, session, person).
    max: 6,
    // Opening a connection (TLS, SCRAM) can take a second on a busy host; a statement never should.
    connectionTimeoutMillis: 2_000,
    statement_timeout: 1_000,
    query_timeout: 1_500,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    application_name: "stageboard-rate-limit",
  });
  // An idle connection that drops must not crash the process; the next query reports the outage.
  pool.on("error", () => undefined);
  return pool;
}

type Shared = { pool: pg.Pool | null; limits: RateLimits; trustedProxies: ReturnType<typeof trustedProxyList> };

// On globalThis so that proxy.ts and the route handlers, bundled apart but run in one process, share
// one pool and one set of in-memory fallback counters (and hot reloads do not leak pools).
const globalForLimits = globalThis as unknown as { stageboardRateLimits?: Shared };

function shared(): Shared {
  if (!globalForLimits.stageboardRateLimits) {
    const pool = env.DATABASE_URL ? createRateLimitPool(env.DATABASE_URL) : null;
    globalForLimits.stageboardRateLimits = {
      pool,
      limits: createRateLimits({ pool, budgets: budgetsFrom(env), logger }),
      trustedProxies: trustedProxyList(env.TRUSTED_PROXIES),
    };
  }
  return globalForLimits.stageboardRateLimits;
}

/** The app's rate limits (Postgres-backed when DATABASE_URL is set). */
export function appRateLimits(): RateLimits {
  return shared().limits;
}

export function appTrustedProxies() {
  return shared().trustedProxies;
}

/**
 * The user behind a session cookie, for charging page requests to the person (API requests are
 * charged in withUser, which has the viewer already). Null for an unknown, ended or expired session,
 * and when the database cannot answer: the request is then charged to its address alone.
 */
export async function sessionUserId(sessionToken: string): Promise<string | null> {
  const { pool } = shared();
  if (!pool || !sessionToken || sessionToken.length > 512) return null;
  try {
    const { rows } = await pool.query<{ userId: string }>({
      name: "stageboard-session-user",
      text: `SELECT "userId" FROM "Session" WHERE "tokenHash" = $1 AND expires > now()`,
      values: [hashSessionToken(sessionToken)],
    });
    return rows[0]?.userId ?? null;
  } catch {
    return null;
  }
}
