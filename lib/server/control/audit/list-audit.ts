import "server-only";
import type { AuditFilters } from "@/lib/control/audit-filters";
import type { AuditEntryView } from "@/lib/control/audit-text";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";

// Reading the audit log: administrators see every entry; everyone else the entries of repositories they can
// read on GitHub (by repository id, as pipeline visibility compares). Newest first, paged by id.

type Row = Omit<AuditEntryView, "at"> & { at: Date };

const day = (value: string, end: boolean) =>
  new Date(/T/.test(value) ? value : `${value}T${end ? "23:59:59.999" : "00:00:00.000"}Z`);

function whereSql(viewer: Viewer, filters: AuditFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (!viewer.isAdmin)
    parts.push(Prisma.sql`"repositoryGithubId" = ANY(${[...viewer.repositoryIds.values()].map(String)}::bigint[])`);
  if (filters.repository) parts.push(Prisma.sql`lower("repository") = ${filters.repository.toLowerCase()}`);
  if (filters.pipeline)
    parts.push(Prisma.sql`("pipelineName" = ${filters.pipeline} OR "pipelineId" = ${filters.pipeline})`);
  if (filters.actor) parts.push(Prisma.sql`lower("actorLogin") = ${filters.actor.replace(/^@/, "").toLowerCase()}`);
  if (filters.action) parts.push(Prisma.sql`"action" = ${filters.action}`);
  if (filters.outcome) parts.push(Prisma.sql`"outcome" = ${filters.outcome}`);
  if (filters.from && !Number.isNaN(day(filters.from, false).getTime()))
    parts.push(Prisma.sql`"at" >= ${day(filters.from, false)}`);
  if (filters.to && !Number.isNaN(day(filters.to, true).getTime()))
    parts.push(Prisma.sql`"at" <= ${day(filters.to, true)}`);
  if (filters.cursor && /^\d{1,19}$/.test(filters.cursor)) parts.push(Prisma.sql`"id" < ${filters.cursor}::bigint`);
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}

export async function listAudit(
  db: Pick<Db, "$queryRaw">,
  viewer: Viewer,
  filters: AuditFilters,
  limit = 50,
): Promise<{ data: AuditEntryView[]; meta: { nextCursor: string | null } }> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT "id"::text AS id, "at", "entry", "attemptId"::text AS "attemptId", "action", "actorGithubId"::text AS "actorGithubId",
           "actorLogin", "repository", "pipelineId", "pipelineName", "stageName", "actionName", "executionId", "parameters",
           "comment", "outcome", "awsRequestId", "error", "requestId"
    FROM "AuditEntry" WHERE ${whereSql(viewer, filters)} ORDER BY "id" DESC LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map((r) => ({ ...r, at: r.at.toISOString() }));
  return { data: page, meta: { nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null } };
}

/** Every matching entry, newest first, in pages (for the exports). */
export async function* allAudit(db: Pick<Db, "$queryRaw">, viewer: Viewer, filters: AuditFilters) {
  let cursor: string | undefined = filters.cursor;
  for (;;) {
    const { data, meta } = await listAudit(db, viewer, { ...filters, cursor }, 500);
    yield* data;
    if (!meta.nextCursor) return;
    cursor = meta.nextCursor;
  }
}

export const CSV_COLUMNS = [
  "id",
  "at",
  "entry",
  "attemptId",
  "action",
  "actorGithubId",
  "actorLogin",
  "repository",
  "pipelineName",
  "stageName",
  "actionName",
  "executionId",
  "parameters",
  "comment",
  "outcome",
  "awsRequestId",
  "error",
  "requestId",
] as const;

/** One CSV cell: quoted, and a leading = + - @ (or tab, CR) defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(entry: AuditEntryView): string {
  return `${CSV_COLUMNS.map((column) => csvCell(entry[column])).join(",")}\r\n`;
}
