import "server-only";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import { laterCursor, MAX_ROW_ID, type FeedCursor } from "@/lib/server/feed/cursor";
import type { ChangeOrigin } from "@/lib/server/feed/origin";

export type ChangeEntity = "pipeline" | "execution" | "stage" | "action" | "approval" | "transition";

/**
 * What the triggers (migration change_feed) store in before/after: `status` for every entity but
 * transitions (`enabled`), plus a few fields per entity: pipeline `executionId`, `stateDigest`; execution
 * `startTime` (ISO 8601); action `errorCode`; approval `decidedBy`; transition `disabledBy`.
 */
export const changeValuesSchema = z.record(z.string(), z.union([z.string(), z.boolean(), z.number(), z.null()]));
export type ChangeValues = z.infer<typeof changeValuesSchema>;

export type ChangeRow = {
  cursor: FeedCursor;
  pipelineId: string;
  /** AWS pipeline execution id. */
  executionId: string | null;
  entity: ChangeEntity;
  /** Stage name (stage, transition) or "stage/action" (action, approval); null for pipeline and execution. */
  name: string | null;
  /** Null when the row did not exist before (an insert). */
  before: ChangeValues | null;
  after: ChangeValues;
  origin: ChangeOrigin;
  createdAt: Date;
};

export type ReadChangesOptions = {
  /** Null: from the oldest row still kept. */
  after: FeedCursor | null;
  limit: number;
  pipelineIds?: readonly string[];
  origin?: ChangeOrigin;
};

export type ReadChangesResult = {
  changes: ChangeRow[];
  /** Where the next read starts; past filtered-out rows too, so a narrow reader does not rescan them. */
  cursor: FeedCursor | null;
  /**
   * Committed rows exist that cannot be read yet because an older transaction is still open: read again
   * soon, since that transaction may end without writing a change (and so without a notification).
   */
  held: boolean;
};

type Queryable = Pick<Db, "$queryRaw">;

const ENTITIES = new Set<string>(["pipeline", "execution", "stage", "action", "approval", "transition"]);
const MAX_LIMIT = 10_000;

type RawRow = {
  readableBelow: bigint;
  held: boolean;
  id: bigint | null;
  txid: bigint | null;
  pipelineId: string;
  executionId: string | null;
  entity: string;
  name: string | null;
  before: unknown;
  after: unknown;
  origin: string;
  createdAt: Date;
};

function toChange(row: RawRow & { id: bigint; txid: bigint }): ChangeRow {
  if (!ENTITIES.has(row.entity)) throw new Error(`change feed row ${row.id} has an unknown entity`);
  return {
    cursor: { txid: row.txid, id: row.id },
    pipelineId: row.pipelineId,
    executionId: row.executionId,
    entity: row.entity as ChangeEntity,
    name: row.name,
    before: row.before === null ? null : changeValuesSchema.parse(row.before),
    after: changeValuesSchema.parse(row.after),
    origin: row.origin === "backfill" ? "backfill" : "live",
    createdAt: row.createdAt,
  };
}

/**
 * `bound.b`: the lowest transaction id that may still commit rows of this database, as of this statement's
 * snapshot. It is the snapshot's xmax (every later transaction gets an id at or above it) or the lowest
 * transaction still in progress, leaving out those pg_stat_activity shows running in another database of
 * the cluster (they cannot write this table, and a long one there would hold every reader here back). A
 * transaction not found there (it just ended, or its session is not visible to this role) counts as ours,
 * so any uncertainty only delays a read, never skips one. This is the snapshot's xmin whenever the oldest
 * open transaction is this database's.
 */
const boundary = Prisma.sql`
  snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
  bound AS MATERIALIZED (
    SELECT (LEAST(
      (SELECT pg_snapshot_xmax(s) FROM snap),
      (SELECT min(x) FROM snap, pg_snapshot_xip(s) AS x
        WHERE NOT EXISTS (
          SELECT 1 FROM pg_stat_activity a
          WHERE a.backend_xid = xid(x) AND a.datid IS NOT NULL
            AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))
    )::text)::bigint AS b)`;

/**
 * Rows after `after`, in (txid, id) order, of transactions below that boundary only: every
 * such transaction of this database has ended, and any still to commit has a txid at or above it, so a cursor
 * that has passed a row can never have a row appear behind it (a plain id order would skip the rows of a
 * transaction that took its ids first and committed last).
 */
export async function readChanges(db: Queryable, options: ReadChangesOptions): Promise<ReadChangesResult> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit)));
  const { after } = options;
  const conditions = [
    after ? Prisma.sql`(e.txid, e.id) > (${after.txid}, ${after.id})` : Prisma.sql`TRUE`,
    options.pipelineIds ? Prisma.sql`e."pipelineId" = ANY(${[...options.pipelineIds]}::text[])` : Prisma.sql`TRUE`,
    options.origin ? Prisma.sql`e.origin = ${options.origin}` : Prisma.sql`TRUE`,
  ];
  // One statement, so the rows and the boundary come from the same snapshot.
  const rows = await db.$queryRaw<RawRow[]>`
    WITH ${boundary},
    -- Once per read, from the (txid, id) index's last entry: as a column expression it ran per row returned,
    -- each a scan of the whole log (quadratic in a busy fleet's backlog).
    latest AS MATERIALIZED (SELECT max(h.txid) AS txid FROM "ChangeEvent" h)
    SELECT bound.b AS "readableBelow",
           COALESCE(latest.txid >= bound.b, FALSE) AS held,
           c.*
      FROM bound CROSS JOIN latest LEFT JOIN LATERAL (
        SELECT e.id, e.txid, e."pipelineId", e."executionId", e.entity, e.name, e.before, e.after, e.origin,
               e."createdAt"
          FROM "ChangeEvent" e
         WHERE e.txid < bound.b AND ${Prisma.join(conditions, " AND ")}
         ORDER BY e.txid, e.id
         LIMIT ${limit}
      ) c ON TRUE
     ORDER BY c.txid, c.id`;
  const first = rows[0];
  if (!first) throw new Error("change feed read returned no boundary row");
  const changes = rows.filter((r): r is RawRow & { id: bigint; txid: bigint } => r.id !== null).map(toChange);
  const last = changes.at(-1)?.cursor ?? after;
  // A short page means every matching row below the boundary was read: the cursor moves to the boundary.
  const cursor = changes.length < limit ? laterCursor(last, { txid: first.readableBelow - 1n, id: MAX_ROW_ID }) : last;
  return { changes, cursor, held: first.held };
}

/** Where a new reader starts: after everything already readable, before anything that is not yet. */
export async function headCursor(db: Queryable): Promise<FeedCursor> {
  const [row] = await db.$queryRaw<{ b: bigint }[]>`WITH ${boundary} SELECT b FROM bound`;
  if (!row) throw new Error("no snapshot");
  return { txid: row.b - 1n, id: MAX_ROW_ID };
}

/** The latest change pruning has deleted (lib/server/feed/prune-feed.ts), or null when it has deleted none. */
export async function prunedThrough(db: Queryable): Promise<FeedCursor | null> {
  const [row] = await db.$queryRaw<{ txid: bigint; id: bigint }[]>`
    SELECT "cursorTxid" AS txid, "cursorId" AS id FROM "ChangeFeedPruned" WHERE id = 1`;
  return row ? { txid: row.txid, id: row.id } : null;
}
