import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { repositoryPipelinesSql, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

// Which pipelines an insight page reads: the overview's rule (visibility.ts), narrowed to one repository or one
// pipeline. In SQL over `p` ("Pipeline") left-joined to `r` ("Repository").

export type InsightScope =
  { kind: "all" } | { kind: "repository"; fullName: string } | { kind: "pipeline"; id: string };

export function scopeSql(viewer: Viewer, scope: InsightScope): Prisma.Sql {
  const visible = visiblePipelinesSql(viewer);
  switch (scope.kind) {
    case "all":
      return Prisma.sql`${visible} AND p."deletedAt" IS NULL`;
    case "repository":
      return Prisma.sql`${visible} AND ${repositoryPipelinesSql(viewer, scope.fullName)} AND p."deletedAt" IS NULL`;
    case "pipeline":
      return Prisma.sql`${visible} AND p.id = ${scope.id}`;
  }
}
