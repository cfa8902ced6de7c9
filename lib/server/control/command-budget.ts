import "server-only";
import type { Db } from "@/lib/server/db/client";

// A person's budget for approval decisions and commands (RATE_LIMIT_COMMANDS_PER_MINUTE), apart from the
// general per-user budget that withUser charges: every command reaches GitHub and AWS, so far fewer are
// allowed than page requests. Counted in the RateLimit table every instance shares, in its format (key
// "<budget>:<subject>", points, window end in epoch ms), so housekeeping prunes expired windows as it does
// the others'. One statement: concurrent commands of one person count exactly.

const WINDOW_MS = 60_000;

export type BudgetDecision = { kind: "allowed" } | { kind: "limited"; limit: number; retryAfterSeconds: number };

export async function consumeCommandBudget(
  db: Pick<Db, "$queryRaw">,
  userId: string,
  perMinute: number,
  now = Date.now(),
): Promise<BudgetDecision> {
  if (perMinute <= 0) return { kind: "allowed" };
  const key = `commands:${userId}`.slice(0, 255);
  const windowEnd = BigInt(now + WINDOW_MS);
  const [row] = await db.$queryRaw<{ points: number; expire: bigint }[]>`
    INSERT INTO "RateLimit" ("key", "points", "expire") VALUES (${key}, 1, ${windowEnd})
    ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN "RateLimit"."expire" IS NULL OR "RateLimit"."expire" <= ${BigInt(now)} THEN 1 ELSE "RateLimit"."points" + 1 END,
      "expire" = CASE WHEN "RateLimit"."expire" IS NULL OR "RateLimit"."expire" <= ${BigInt(now)} THEN ${windowEnd} ELSE "RateLimit"."expire" END
    RETURNING "points", "expire"`;
  if (!row || row.points <= perMinute) return { kind: "allowed" };
  return {
    kind: "limited",
    limit: perMinute,
    retryAfterSeconds: Math.max(1, Math.ceil((Number(row.expire) - now) / 1000)),
  };
}
