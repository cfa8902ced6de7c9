// The stored state's shape as SQL sees it, for the one query that reads it in the database (the overview's
// current stage): a version 2 row answers with its derived position; an older row is handed back whole, for
// readStoredState to migrate.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

/** jsonb: the execution's derived position (`{ stage, waiting }`), null when the row has none for it. */
export function storedPositionSql(state: Prisma.Sql, executionId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${state}->'derived'->'positions'->${executionId})`;
}

/** jsonb: the whole state, only for rows written before versions existed (null otherwise). */
export function legacyStateSql(state: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN jsonb_typeof(${state}) = 'object' AND NOT ${state} ? 'version' THEN ${state} END)`;
}
