import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { loadSessionViewer } from "@/lib/server/auth/load-session-viewer";
import { judgeSession } from "@/lib/server/auth/session-policy";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import type { Db } from "@/lib/server/db/client";
import type { StreamAccess } from "@/lib/server/live/registry";
import { repositoryPipelinesSql, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

/** A stream's scope: one pipeline, one repository ("owner/name"), or everything the viewer sees. */
export type StreamScope = { kind: "pipeline"; id: string } | { kind: "repository"; fullName: string } | { kind: "all" };

/**
 * The ids of the pipelines in scope that the viewer may see: the rule every page applies
 * (pipelines/visibility.ts), deleted pipelines included (their pages still show them).
 */
export async function visiblePipelineIds(db: Db, viewer: Viewer, scope: StreamScope): Promise<Set<string>> {
  const scoped =
    scope.kind === "pipeline"
      ? Prisma.sql`p.id = ${scope.id}`
      : scope.kind === "repository"
        ? repositoryPipelinesSql(viewer, scope.fullName)
        : Prisma.sql`TRUE`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE ${visiblePipelinesSql(viewer)} AND ${scoped}`;
  return new Set(rows.map((row) => row.id));
}

/** When the session behind `token` ends (its expiry, capped by its absolute lifetime), or null when it has. */
export async function sessionEndsAt(db: Db, token: string, now = Date.now()): Promise<number | null> {
  const [row] = await db.$queryRaw<{ expires: Date; createdAt: Date }[]>`
    SELECT expires, "createdAt" FROM "Session" WHERE "tokenHash" = ${hashSessionToken(token)}`;
  if (!row) return null;
  const verdict = judgeSession(row, now);
  return verdict.kind === "valid" ? verdict.expires.getTime() : null;
}

/** Access as of now for a stream opened with `token`: the session (extended as any request does) and visibility. */
export async function loadStreamAccess(db: Db, token: string, scope: StreamScope): Promise<StreamAccess | null> {
  const viewer = await loadSessionViewer(db, token);
  if (!viewer) return null;
  return accessFor(db, { viewer, token, scope });
}

export async function accessFor(
  db: Db,
  input: { viewer: Viewer; token: string; scope: StreamScope },
): Promise<StreamAccess | null> {
  const [endsAt, visible] = await Promise.all([
    sessionEndsAt(db, input.token),
    visiblePipelineIds(db, input.viewer, input.scope),
  ]);
  return endsAt === null ? null : { visible, endsAt };
}
