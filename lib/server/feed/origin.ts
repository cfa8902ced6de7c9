import "server-only";
import type { Db } from "@/lib/server/db/client";

/** Where a change came from. Consumers that act on the world (GitHub write-back) skip "backfill"; counters take both. */
export type ChangeOrigin = "live" | "backfill";

type Tx = Pick<Db, "$executeRaw">;

/**
 * Labels every change-feed row the rest of this transaction writes. The feed's triggers read the setting
 * (transaction-local, so a pooled connection never carries it into someone else's transaction); rows written
 * without it are "live". Call it first thing inside `db.$transaction(async (tx) => …)`: outside a transaction
 * the setting would end with the statement.
 */
export async function markChangeOrigin(tx: Tx, origin: ChangeOrigin): Promise<void> {
  await tx.$executeRaw`SELECT set_config('stageboard.change_origin', ${origin}, true)`;
}
