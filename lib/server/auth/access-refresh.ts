import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/server/db/client";
import { withGitHubDeadline } from "@/lib/server/github/api";
import { logger } from "@/lib/server/logger";

// When and by whom a user's repository list is fetched again from GitHub (the fetch itself is
// visibility.ts's). The state lives in Postgres (AccessRefresh), so every request and every instance
// sees it:
// - one refresh at a time per user: within a process, concurrent callers share one promise; across
//   processes, a lease row lets one process ask GitHub while the others wait for its result;
// - a failure (GitHub down, token revoked) is remembered with its time and attempt count, and nobody
//   asks GitHub again before its backoff has passed (5 s, doubling to 5 min, with jitter), instead of
//   every request past the TTL asking again;
// - a request waits at most REFRESH_WAIT_MS; the refresh carries on in the background, and the caller
//   answers with what the fail-closed rule allows (visibility.ts).

/** Longest a request waits for a refresh before answering without it. */
export const REFRESH_WAIT_MS = 3_000;
/** Every GitHub call of one refresh (up to 100 pages, membership checks) ends by then. */
export const REFRESH_DEADLINE_MS = 30_000;
/** A refresh's lease outlives its deadline, so two processes never ask GitHub at once for one user. */
const LEASE_MS = REFRESH_DEADLINE_MS + 10_000;
const BACKOFF_FIRST_MS = 5_000;
const BACKOFF_MAX_MS = 300_000;
/** ±20%: users who failed together (a GitHub outage) do not all retry at the same moment. */
const BACKOFF_JITTER = 0.2;
const POLL_MS = 100;

/** The wait after `failures` consecutive failures (1, 2, …); `random` in [0, 1). */
export function backoffMs(failures: number, random: number): number {
  const base = BACKOFF_FIRST_MS * 2 ** Math.min(Math.max(failures, 1) - 1, 16);
  return Math.round(Math.min(BACKOFF_MAX_MS, base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random)));
}

export type RefreshOutcome =
  | { kind: "refreshed" }
  | { kind: "failed"; retryAt: Date }
  /** An earlier failure's backoff has not passed: GitHub was not asked. */
  | { kind: "backing-off"; retryAt: Date }
  /** Another process holds the refresh lease: GitHub was not asked by this one. */
  | { kind: "elsewhere"; owner: string }
  /** Still running after the caller's wait; it finishes (and records its result) in the background. */
  | { kind: "timed-out" };

type Claim = { kind: "claimed"; failures: number } | Extract<RefreshOutcome, { kind: "backing-off" | "elsewhere" }>;

type RefreshOptions = {
  /** The caller's clock (ms); stored times are on it. */
  now?: number;
  /** A new sign-in (a new token): the backoff and any lease of the old token's refresh are ignored. */
  force?: boolean;
};

/** Takes the user's refresh lease unless a backoff or another process's lease is in the way (one statement). */
async function claim(db: Db, userId: string, owner: string, now: Date, force: boolean): Promise<Claim> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const [claimed] = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "AccessRefresh" ("userId", "leaseOwner", "leaseUntil") VALUES (${userId}, ${owner}, ${leaseUntil})
    ON CONFLICT ("userId") DO UPDATE SET "leaseOwner" = EXCLUDED."leaseOwner", "leaseUntil" = EXCLUDED."leaseUntil"
    WHERE ${force}
       OR (("AccessRefresh"."retryAt" IS NULL OR "AccessRefresh"."retryAt" <= ${now})
           AND ("AccessRefresh"."leaseUntil" IS NULL OR "AccessRefresh"."leaseUntil" <= ${now}))
    RETURNING failures`;
  if (claimed) return { kind: "claimed", failures: claimed.failures };
  const held = await db.accessRefresh.findUnique({ where: { userId } });
  if (held?.retryAt && held.retryAt > now && !(held.leaseUntil && held.leaseUntil > now))
    return { kind: "backing-off", retryAt: held.retryAt };
  return { kind: "elsewhere", owner: held?.leaseOwner ?? "" };
}

async function attempt(db: Db, userId: string, run: () => Promise<void>, options: RefreshOptions) {
  const startedAt = Date.now();
  const now = options.now ?? startedAt;
  const owner = randomUUID();
  const claimed = await claim(db, userId, owner, new Date(now), options.force ?? false);
  if (claimed.kind !== "claimed") return claimed;
  try {
    await withGitHubDeadline(REFRESH_DEADLINE_MS, run);
  } catch {
    // run() recorded and logged why (visibility.ts); what is left is when to try again.
    const failures = claimed.failures + 1;
    const failedAt = new Date(now + (Date.now() - startedAt));
    const retryAt = new Date(failedAt.getTime() + backoffMs(failures, Math.random()));
    // Only while still the lease holder: a forced refresh (a new sign-in) may have taken over.
    await db.accessRefresh.updateMany({
      where: { userId, leaseOwner: owner },
      data: { failures, lastFailedAt: failedAt, retryAt, leaseOwner: null, leaseUntil: null },
    });
    return { kind: "failed", retryAt } as const;
  }
  await db.accessRefresh.deleteMany({ where: { userId, leaseOwner: owner } });
  return { kind: "refreshed" } as const;
}

const inFlight = new Map<string, Promise<RefreshOutcome>>();

/**
 * Refreshes one user's access with `run` when neither a backoff nor another process is in the way;
 * concurrent calls in this process share one attempt. Never rejects: failures are outcomes.
 */
export function refreshShared(
  db: Db,
  userId: string,
  run: () => Promise<void>,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const running = inFlight.get(userId);
  if (running && !options.force) return running;
  const promise: Promise<RefreshOutcome> = attempt(db, userId, run, options)
    .catch((err: unknown) => {
      // The lease or backoff could not be read or written (the database, most likely): fail closed.
      logger.warn({ userId, reason: err instanceof Error ? err.message : String(err) }, "access refresh failed");
      return { kind: "failed", retryAt: new Date((options.now ?? Date.now()) + BACKOFF_FIRST_MS) } as const;
    })
    .finally(() => {
      if (inFlight.get(userId) === promise) inFlight.delete(userId);
    });
  inFlight.set(userId, promise);
  return promise;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until another process's lease on the user's refresh is gone (it finished or lapsed), or `until`. */
async function awaitOtherProcess(db: Db, userId: string, owner: string, until: number): Promise<void> {
  while (Date.now() < until) {
    await sleep(Math.min(POLL_MS, Math.max(0, until - Date.now())));
    const row = await db.accessRefresh.findUnique({ where: { userId }, select: { leaseOwner: true } });
    if (row?.leaseOwner !== owner) return;
  }
}

/**
 * The outcome of `refresh` if it comes within `waitMs`, else "timed-out" (it keeps running). When another
 * process holds the lease, waits within the same limit for it to finish; the caller then reads the list
 * that process stored.
 */
export async function refreshWithin(
  db: Db,
  userId: string,
  refresh: Promise<RefreshOutcome>,
  waitMs = REFRESH_WAIT_MS,
): Promise<RefreshOutcome> {
  const until = Date.now() + waitMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RefreshOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timed-out" }), waitMs);
  });
  try {
    const outcome = await Promise.race([refresh, timeout]);
    if (outcome.kind === "elsewhere") await awaitOtherProcess(db, userId, outcome.owner, until);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
