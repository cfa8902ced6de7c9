import "server-only";
import type { BadgeLookup } from "@/lib/badges/badge-request";
import { COUNTED_STATUSES, type CountedRun } from "@/lib/badges/state";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";

// What a badge is drawn from, read from Postgres in two queries that run for every badge request, whether the
// repository exists or not, so no answer takes a shorter path than another.
//
// - The repository is the GitHub repository (by id) that its current name names: a Repository row pinned to an id
//   (lib/server/identity/repository-pins.ts; unpinned rows are nobody's, so they have no badge), under the name
//   GitHub gives it now, else its sources' name. Two ids under one name (a name deleted and registered again while
//   both have pipelines) make the name no badge's: failing closed.
// - Each live pipeline of that repository (rows under its earlier names included) counts with its latest counted
//   run (lib/badges/state.ts): the latest execution, or, for a stage, the latest execution that ran the stage, on
//   the branch the request asks for. The repository's badge reads its default branch as GitHub last reported it;
//   until that is known, each pipeline's own source branch; with neither known, any branch.

export interface BadgeRepository {
  githubId: bigint;
  private: boolean;
  /** SHA-256 of the badge key; null while the repository has none. */
  keyHash: string | null;
}

export interface BadgeFacts {
  repository: BadgeRepository | null;
  /** One per pipeline that has a counted run. */
  runs: CountedRun[];
}

type RepositoryRow = { githubId: string; private: boolean; defaultBranch: string | null; keyHash: string | null };

async function readRepository(db: Db, fullName: string): Promise<RepositoryRow | null> {
  const rows = await db.$queryRaw<RepositoryRow[]>`
    SELECT r."githubId"::text AS "githubId", bool_or(r."private") AS "private", max(r."defaultBranch") AS "defaultBranch",
           (SELECT k."keyHash" FROM "BadgeKey" k WHERE k."repositoryGithubId" = r."githubId") AS "keyHash"
      FROM "Repository" r
     WHERE COALESCE(r."githubFullName", r."fullName") = ${fullName} AND r."githubId" IS NOT NULL
     GROUP BY r."githubId"
     LIMIT 2`;
  return rows.length === 1 ? (rows[0] ?? null) : null;
}

function branchCondition(lookup: BadgeLookup, defaultBranch: string | null): Prisma.Sql {
  switch (lookup.branch.kind) {
    case "any":
      return Prisma.sql`TRUE`;
    case "named":
      return Prisma.sql`e."branch" = ${lookup.branch.branch}`;
    case "default": {
      const branch = Prisma.sql`COALESCE(${defaultBranch}::text, p."sourceBranch")`;
      return Prisma.sql`(${branch} IS NULL OR e."branch" = ${branch})`;
    }
  }
}

/** The latest counted run of each pipeline of the repository `githubId` (none when it is null). */
async function readRuns(
  db: Db,
  lookup: BadgeLookup,
  repository: { githubId: string | null; defaultBranch: string | null },
): Promise<CountedRun[]> {
  const counted = [...COUNTED_STATUSES];
  const onBranch = branchCondition(lookup, repository.defaultBranch);
  const latest =
    lookup.stage === null
      ? Prisma.sql`
        SELECT e.status, EXISTS (
                 SELECT 1 FROM "Approval" a
                  WHERE a."pipelineId" = p.id AND a.status = 'Pending' AND a."executionId" = e."executionId"
               ) AS "pendingApproval"
          FROM "Execution" e
         WHERE e."pipelineId" = p.id AND e.status = ANY(${counted}::text[]) AND ${onBranch}
         ORDER BY e."startTime" DESC, e.id DESC
         LIMIT 1`
      : Prisma.sql`
        SELECT se.status, EXISTS (
                 SELECT 1 FROM "Approval" a
                  WHERE a."pipelineId" = p.id AND a.status = 'Pending' AND a."executionId" = e."executionId"
                    AND a."stageName" = se."stageName"
               ) AS "pendingApproval"
          FROM "Execution" e
          JOIN "StageExecution" se ON se."executionId" = e.id AND se."stageName" = ${lookup.stage}
         WHERE e."pipelineId" = p.id AND se.status = ANY(${counted}::text[]) AND ${onBranch}
         ORDER BY e."startTime" DESC, e.id DESC
         LIMIT 1`;
  const pipeline = lookup.pipeline === null ? Prisma.sql`TRUE` : Prisma.sql`p.name = ${lookup.pipeline}`;
  return db.$queryRaw<CountedRun[]>`
    SELECT x.status, x."pendingApproval"
      FROM "Pipeline" p
      JOIN "Repository" r ON r.id = p."repositoryId"
      CROSS JOIN LATERAL (${latest}) x
     WHERE r."githubId" = ${repository.githubId}::bigint AND p."deletedAt" IS NULL AND ${pipeline}`;
}

export async function readBadgeFacts(db: Db, lookup: BadgeLookup): Promise<BadgeFacts> {
  const repository = await readRepository(db, lookup.fullName);
  const runs = await readRuns(db, lookup, {
    githubId: repository?.githubId ?? null,
    defaultBranch: repository?.defaultBranch ?? null,
  });
  return {
    repository: repository && {
      githubId: BigInt(repository.githubId),
      private: repository.private,
      keyHash: repository.keyHash,
    },
    runs,
  };
}
