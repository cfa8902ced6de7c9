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
 * How long until one more request fits (0: now), from the reserved times (epoch ms, oldest first) of the last hour.
 * Pure, so both windows are tested without a clock.
 */
export function contentWaitMs(recent: readonly number[], nowMs: number, limits: ContentLimits): number {
  const inHour = recent.filter((t) => t > nowMs - HOUR_MS);
  const inMinute = inHour.filter((t) => t > nowMs - MINUTE_MS);
  let wait = 0;
  // The window frees when its oldest counted request ages out; with k too many, the k-th oldest.
  if (inHour.length >= limits.perHour) wait = Math.max(wait, inHour[inHour.length - limits.perHour]! + HOUR_MS - nowMs);
  if (inMinute.length >= limits.perMinute)
    wait = Math.max(wait, inMinute[inMinute.length - limits.perMinute]! + MINUTE_MS - nowMs);
  return Math.max(0, Math.ceil(wait));
}

/**
 * Reserves one request for the installation now, or says how long until one fits. One transaction holding the
 * installation's advisory lock, so two processes never both take the last slot; rows past the hour are pruned.
 */
export async function reserveContent(
  db: Db,
  input: { installationId: number; limits: ContentLimits; now: Date },
): Promise<{ kind: "reserved" } | { kind: "wait"; ms: number }> {
  const id = BigInt(input.installationId);
  const nowMs = input.now.getTime();
  const hourAgo = new Date(nowMs - HOUR_MS);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('github-content'), hashtext(${String(id)}))`;
    await tx.$executeRaw`DELETE FROM "GitHubContentSpend" WHERE "installationId" = ${id} AND at <= ${hourAgo}`;
    const rows = await tx.$queryRaw<{ at: Date }[]>`
      SELECT at FROM "GitHubContentSpend" WHERE "installationId" = ${id} ORDER BY at`;
    const ms = contentWaitMs(
      rows.map((r) => r.at.getTime()),
      nowMs,
      input.limits,
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
