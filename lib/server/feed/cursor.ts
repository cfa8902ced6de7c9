import "server-only";

/**
 * A position in the change feed: after every row of transactions below `txid`, and after the rows of
 * transaction `txid` up to `id`. Rows are read in (txid, id) order, never by id alone: ids are handed out
 * as rows are written, so a transaction that commits late can hold ids below those already read.
 */
export type FeedCursor = { txid: bigint; id: bigint };

/** The largest bigint: a cursor `{ txid, id: MAX_ROW_ID }` is past every row of `txid`. */
export const MAX_ROW_ID = 9_223_372_036_854_775_807n;

/** "<txid>-<id>", the form used as server-sent event ids (Last-Event-ID). */
export function formatCursor(cursor: FeedCursor): string {
  return `${cursor.txid}-${cursor.id}`;
}

const CURSOR = /^(\d{1,19})-(\d{1,19})$/;

/** The cursor `formatCursor` wrote, or null for anything else (the text may come from a client). */
export function parseCursor(text: string | null | undefined): FeedCursor | null {
  const match = CURSOR.exec(text?.trim() ?? "");
  if (!match?.[1] || !match[2]) return null;
  const cursor = { txid: BigInt(match[1]), id: BigInt(match[2]) };
  return cursor.txid > MAX_ROW_ID || cursor.id > MAX_ROW_ID ? null : cursor;
}

export function compareCursors(a: FeedCursor, b: FeedCursor): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function laterCursor(a: FeedCursor | null, b: FeedCursor | null): FeedCursor | null {
  if (!a) return b;
  if (!b) return a;
  return compareCursors(a, b) >= 0 ? a : b;
}
