import "server-only";
import type { Db } from "@/lib/server/db/client";
import { Slots } from "./delivery-pool";

// Stageboard's own account of GitHub's secondary limit on content creation, per App installation: "no more than 80
// content-generating requests per minute and no more than 500 per hour" (WRITEBACK_CONTENT_PER_MINUTE/_PER_HOUR).
// Every process reserves in PostgreSQL before it writes, so together they keep to it instead of each learning it
// from GitHub's 403s (which GitHub warns can get an integration banned). Windows slide: a request counts for one
// minute and one hour after it was reserved.

export type ContentLimits = { perMinute: number; perHour: number };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How long until one more request fits (0: now), from the reserved times that decide it: each window's
 * `limit`-th newest request inside it (null when the window holds fewer). A full window frees when that one ages out.
 * Pure, so both windows are tested without a clock.
 */
export function waitForRoomMs(decisive: { minuteKth: number | null; hourKth: number | null }, nowMs: number): number {
  let wait = 0;
  if (decisive.hourKth !== null && decisive.hourKth > nowMs - HOUR_MS) wait = decisive.hourKth + HOUR_MS - nowMs;
  if (decisive.minuteKth !== null && decisive.minuteKth > nowMs - MINUTE_MS)
    wait = Math.max(wait, decisive.minuteKth + MINUTE_MS - nowMs);
  return Math.max(0, Math.ceil(wait));
}

/** The same from every reserved time of the last hour (epoch ms, oldest first). */
export function contentWaitMs(recent: readonly number[], nowMs: number, limits: ContentLimits): number {
  const inHour = recent.filter((t) => t > nowMs - HOUR_MS);
  const inMinute = inHour.filter((t) => t > nowMs - MINUTE_MS);
  const kth = (list: readonly number[], k: number) => (list.length >= k ? list[list.length - k]! : null);
  return waitForRoomMs({ minuteKth: kth(inMinute, limits.perMinute), hourKth: kth(inHour, limits.perHour) }, nowMs);
}

/**
 * Reserves one request for the installation now, or says how long until one fits. One transaction holding the
 * installation's advisory lock, so two processes never both take the last slot; rows past the hour are pruned.
 * Only each window's decisive row is read (through the index), not the hour's every request: a budget raised far
 * above GitHub's keeps thousands of rows, and reading them all for every write would make writing slower as it goes.
 */
export async function reserveContent(
  db: Db,
  input: { installationId: number; limits: ContentLimits; now: Date },
): Promise<{ kind: "reserved" } | { kind: "wait"; ms: number }> {
  const id = BigInt(input.installationId);
  const nowMs = input.now.getTime();
  const hourAgo = new Date(nowMs - HOUR_MS);
  const minuteAgo = new Date(nowMs - MINUTE_MS);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('github-content'), hashtext(${String(id)}))`;
    await tx.$executeRaw`DELETE FROM "GitHubContentSpend" WHERE "installationId" = ${id} AND at <= ${hourAgo}`;
    const [row] = await tx.$queryRaw<{ minuteKth: Date | null; hourKth: Date | null }[]>`
      SELECT
        (SELECT at FROM "GitHubContentSpend" WHERE "installationId" = ${id} AND at > ${minuteAgo}
          ORDER BY at DESC OFFSET ${input.limits.perMinute - 1} LIMIT 1) AS "minuteKth",
        (SELECT at FROM "GitHubContentSpend" WHERE "installationId" = ${id} AND at > ${hourAgo}
          ORDER BY at DESC OFFSET ${input.limits.perHour - 1} LIMIT 1) AS "hourKth"`;
    const ms = waitForRoomMs(
      { minuteKth: row?.minuteKth?.getTime() ?? null, hourKth: row?.hourKth?.getTime() ?? null },
      nowMs,
    );
    if (ms > 0) return { kind: "wait", ms };
    await tx.$executeRaw`INSERT INTO "GitHubContentSpend" ("installationId", at) VALUES (${id}, ${input.now})`;
    return { kind: "reserved" };
  });
}

/** Thrown when the budget has no room soon enough: the job waits (without using an attempt) and is sent later. */
export class ContentBudgetSpent extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`This installation's content-creation budget is spent for ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = "ContentBudgetSpent";
  }
}

/** Longest a delivery sleeps for room in the budget before it gives the job back to the queue. */
export const MAX_BUDGET_SLEEP_MS = 5_000;

/** Sends one content-creating request once the budget has room for it. */
export type WriteContent = <T>(send: () => Promise<T>) => Promise<T>;

// One write at a time per installation in this process, from its reservation until GitHub answers: the budget is
// then taken when the request goes, not while it waits behind this process's other writes (a reservation made long
// before its request would leave the minute's last slots unused, and GitHub counts when requests arrive), and one
// waiter per installation asks PostgreSQL, not every job in flight.
const turns = new Map<number, Slots>();

/**
 * Waits for room for one request (sleeping at most MAX_BUDGET_SLEEP_MS at a time) and sends it, or throws
 * ContentBudgetSpent without sending.
 */
export function contentBudget(
  db: Db,
  input: { installationId: number; limits: ContentLimits; now?: () => Date; maxSleepMs?: number },
): WriteContent {
  const now = input.now ?? (() => new Date());
  const maxSleepMs = input.maxSleepMs ?? MAX_BUDGET_SLEEP_MS;
  let turn = turns.get(input.installationId);
  if (!turn) turns.set(input.installationId, (turn = new Slots(1)));
  const take = async () => {
    for (;;) {
      const answer = await reserveContent(db, {
        installationId: input.installationId,
        limits: input.limits,
        now: now(),
      });
      if (answer.kind === "reserved") return;
      if (answer.ms > maxSleepMs) throw new ContentBudgetSpent(answer.ms);
      await new Promise((resolve) => setTimeout(resolve, answer.ms));
    }
  };
  const mine = turn;
  return (send) =>
    mine.use(async () => {
      await take();
      return send();
    });
}
