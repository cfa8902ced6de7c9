import "server-only";
import type { Db } from "@/lib/server/db/client";
import { secretMatches } from "@/lib/server/sync/events/verify-secret";
import { getHealth, HEALTH_CHECK_TIMEOUT_MS, type Health, type HealthStatus } from "./get-health";
import { withTimeout } from "./with-timeout";

// GET /api/health without Next. Anyone (a load balancer, a probe) gets the status alone; the details name
// AWS accounts, regions, endpoint hosts and migrations, so they need HEALTH_TOKEN or an administrator's
// session. Whoever asks, the answer comes within a few seconds, however stalled the database is.

export type HealthAnswer = { status: 200 | 503; body: { status: HealthStatus } | Health };

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? "");
  return match?.[1] ?? null;
}

export async function answerHealth(input: {
  db: Db;
  authorization: string | null;
  /** HEALTH_TOKEN; unset: only administrators see the details. */
  healthToken: string | undefined;
  /** Whether the request comes from a signed-in Stageboard administrator (reads the session). */
  isAdmin: () => Promise<boolean>;
  now?: number;
  timeoutMs?: number;
}): Promise<HealthAnswer> {
  const timeoutMs = input.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const presented = bearerToken(input.authorization);
  const byToken = input.healthToken !== undefined && presented !== null && secretMatches(presented, input.healthToken);
  // The session is read alongside the checks, bounded like them: a session that cannot be read in time
  // (the database is what is failing) gets the public answer.
  const [health, admin] = await Promise.all([
    getHealth({ db: input.db, now: input.now, timeoutMs }),
    byToken ? Promise.resolve(false) : withTimeout(input.isAdmin, timeoutMs).then((r) => r.kind === "ok" && r.value),
  ]);
  const status = health.status === "down" ? 503 : 200;
  return { status, body: byToken || admin ? health : { status: health.status } };
}
