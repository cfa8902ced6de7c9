import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createDb(connectionString: string, poolSize = env.DATABASE_POOL_SIZE) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: poolSize }),
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
