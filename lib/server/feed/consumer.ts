import "server-only";
import type { Db } from "@/lib/server/db/client";
import { MAX_ROW_ID, type FeedCursor } from "@/lib/server/feed/cursor";
import type { ChangeOrigin } from "@/lib/server/feed/origin";
import { readChanges, type ChangeRow } from "@/lib/server/feed/read-changes";

/** The transaction a consumer's handler writes in: its writes and the cursor move commit together. */
export type FeedTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type ConsumeOptions = {
  limit: number;
  /** Only changes of this origin reach the handler (write-back takes "live"); the cursor passes the rest. */
  origin?: ChangeOrigin;
  /** Where a consumer that does not exist yet starts: the head (default, changes from now on) or the oldest kept row. */
  from?: "head" | "start";
  /** The transaction's limit, handler included (Prisma's default is 5 s). */
  timeoutMs?: number;
};

export type ConsumeResult =
  /** Another process is running this consumer's batch right now (or the pruner is expiring it). */
  | { kind: "busy" }
  /**
   * The handler ran on `count` changes (zero: it was not called) and the cursor is at `cursor`; `held`: more
   * rows are committed but wait behind an older open transaction, so read again soon.
   */
  | { kind: "read"; count: number; cursor: FeedCursor; held: boolean };

/** An idle consumer's lastReadAt is refreshed at most this often, so polling an empty feed writes little. */
const LAST_READ_REFRESH_MS = 60_000;

/**
 * Runs `handler` on the next changes after the named consumer's durable cursor, and moves the cursor in
 * the same transaction: database work done for a change commits exactly once with the cursor move, and
 * a handler that throws (or a process that dies) leaves the cursor where it was, so the same changes come
 * again. Effects outside the database are therefore at least once. The cursor row is locked with SKIP
 * LOCKED: two processes never run one consumer's batch at once (the second gets `busy`), which also keeps
 * changes in order per pipeline.
 */
export async function consumeChanges(
  db: Db,
  name: string,
  handler: (tx: FeedTx, changes: ChangeRow[]) => Promise<void>,
  options: ConsumeOptions,
): Promise<ConsumeResult> {
  if (!/^[\w.:-]{1,200}$/.test(name)) throw new Error(`not a consumer name: ${JSON.stringify(name)}`);
  // Created outside the batch's transaction, with the head from this statement's own snapshot.
  if (options.from === "start") {
    await db.$executeRaw`
      INSERT INTO "ChangeConsumer" (name, "cursorTxid", "cursorId") VALUES (${name}, 0, 0) ON CONFLICT DO NOTHING`;
  } else {
    await db.$executeRaw`
      INSERT INTO "ChangeConsumer" (name, "cursorTxid", "cursorId")
      SELECT ${name}, (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint - 1, ${MAX_ROW_ID}
      ON CONFLICT DO NOTHING`;
  }
  return db.$transaction(
    async (tx): Promise<ConsumeResult> => {
      const [row] = await tx.$queryRaw<{ cursorTxid: bigint; cursorId: bigint; lastReadAt: Date }[]>`
        SELECT "cursorTxid", "cursorId", "lastReadAt" FROM "ChangeConsumer" WHERE name = ${name}
        FOR UPDATE SKIP LOCKED`;
      if (!row) return { kind: "busy" };
      const after = { txid: row.cursorTxid, id: row.cursorId };
      const read = await readChanges(tx, { after, limit: options.limit, origin: options.origin });
      if (read.changes.length) await handler(tx, read.changes);
      const cursor = read.cursor ?? after;
      const moved = cursor.txid !== after.txid || cursor.id !== after.id;
      if (moved || Date.now() - row.lastReadAt.getTime() > LAST_READ_REFRESH_MS) {
        await tx.$executeRaw`
          UPDATE "ChangeConsumer" SET "cursorTxid" = ${cursor.txid}, "cursorId" = ${cursor.id}, "lastReadAt" = now()
          WHERE name = ${name}`;
      }
      return { kind: "read", count: read.changes.length, cursor, held: read.held };
    },
    { timeout: options.timeoutMs ?? 30_000, maxWait: 5_000 },
  );
}
