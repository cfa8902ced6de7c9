import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { CommitQuery } from "@/lib/search/commit-query";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { REPOSITORY_NAME_SQL, visiblePipelinesSql } from "@/lib/server/pipelines/visibility";
import { readSnapshot } from "@/lib/server/pipelines/read-snapshot";
import type { Viewer } from "@/lib/server/session";
import { placeCommits, type CommitMatch, type MatchedExecution, type StageNow } from "./place-commits";

// "Where is my commit?": the executions carrying a commit, across every pipeline the viewer can see (the
// overview's one visibility rule, in the same SQL), how far each got, and which stages run it now.
// A SHA prefix is an index range on Execution.commitSha (`>= prefix AND < prefix || 'g'`: every hex
// string that starts with the prefix sorts inside it, under C and natural-language collations alike,
// where LIKE would need a C-collated index). A pull request number is read from the message GitHub
// writes when it merges one ("Merge pull request #42 from …", or a squash's "Title (#42)"), through the
// expression index of migration pull_request_index; Stageboard knows no other link from commit to PR.

/** Executions listed at most, newest first; `truncated` says when more matched. */
export const SEARCH_LIMIT = 100;

export interface CommitSearchResult {
  commits: CommitMatch[];
  /** More executions matched than are listed (the newest SEARCH_LIMIT are). */
  truncated: boolean;
}

type ExecutionRow = {
  id: string;
  executionId: string;
  pipelineId: string;
  pipelineName: string;
  repository: string | null;
  status: string;
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
  triggerType: string | null;
  startTime: Date;
  lastUpdateTime: Date;
  /** Some stage of the stored state names this execution as its latest (only then is the state read). */
  inState: boolean;
};

type ReachedRow = { id: string; stageName: string; status: string; position: number | null };

/**
 * Whether a stage of the pipeline's stored state names the execution as its latest: a jsonb containment test,
 * true of the same rows under every version of the state (stages sit at its top level in each). A filter only:
 * what the state says is read by readSnapshot, the state's one reader, for the pipelines it lets through, so
 * a pull request matching thousands of old executions reads no state at all.
 */
const latestInStateSql = Prisma.sql`COALESCE(p.state->'stages' @> jsonb_build_array(jsonb_build_object('latestExecution', jsonb_build_object('executionId', e."executionId"))), false)`;

function matchSql(query: CommitQuery): Prisma.Sql {
  if (query.kind === "pull-request")
    return Prisma.sql`stageboard_pull_request_number(e."commitMessage") = ${query.number}::integer`;
  if (query.prefix.length === 40 || query.prefix.length === 64) return Prisma.sql`e."commitSha" = ${query.prefix}`;
  return Prisma.sql`e."commitSha" >= ${query.prefix} AND e."commitSha" < ${`${query.prefix}g`} AND left(e."commitSha", ${query.prefix.length}::integer) = ${query.prefix}`;
}

export async function searchCommits(
  viewer: Viewer,
  query: CommitQuery,
  deps: { db?: Db } = {},
): Promise<CommitSearchResult> {
  const db = deps.db ?? appDb;
  const rows = await db.$queryRaw<ExecutionRow[]>`
    SELECT e.id, e."executionId", e."pipelineId", p.name AS "pipelineName", ${REPOSITORY_NAME_SQL} AS repository,
           e.status, e."commitSha", left(split_part(e."commitMessage", E'\\n', 1), 200) AS "commitMessage", e."commitUrl",
           e.branch, e."triggerType", e."startTime", e."lastUpdateTime", ${latestInStateSql} AS "inState"
    FROM "Execution" e
    JOIN "Pipeline" p ON p.id = e."pipelineId"
    LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE ${matchSql(query)} AND e."commitSha" IS NOT NULL AND p."deletedAt" IS NULL AND ${visiblePipelinesSql(viewer)}
    ORDER BY e."startTime" DESC, e.id
    LIMIT ${SEARCH_LIMIT + 1}`;
  const listed = rows.slice(0, SEARCH_LIMIT);
  if (listed.length === 0) return { commits: [], truncated: false };

  const pipelineIds = [...new Set(listed.map((r) => r.pipelineId))];
  const running = [...new Set(listed.filter((r) => r.inState).map((r) => r.pipelineId))];
  const [reached, pipelines, stageTotals, mappings] = await Promise.all([
    // The furthest stage each execution has a record of, by the stage's place in the pipeline.
    db.$queryRaw<ReachedRow[]>`
      SELECT DISTINCT ON (se."executionId") se."executionId" AS id, se."stageName", se.status, st.position
      FROM "StageExecution" se
      JOIN "Execution" e ON e.id = se."executionId"
      LEFT JOIN "Stage" st ON st."pipelineId" = e."pipelineId" AND st.name = se."stageName"
      WHERE se."executionId" = ANY(${listed.map((r) => r.id)}::text[])
      ORDER BY se."executionId", st.position DESC NULLS LAST`,
    db.pipeline.findMany({
      where: { id: { in: running } },
      select: { id: true, state: true, repository: { select: { githubId: true } } },
    }),
    db.stage.groupBy({ by: ["pipelineId"], where: { pipelineId: { in: pipelineIds } }, _count: { _all: true } }),
    db.writebackEnvironment.findMany({
      where: { pipelineId: { in: running } },
      select: { repositoryGithubId: true, pipelineId: true, stageName: true, environment: true, production: true },
    }),
  ]);

  const reachedById = new Map(reached.map((r) => [r.id, r]));
  const executions: MatchedExecution[] = listed.map((row) => ({
    rowId: row.id,
    executionId: row.executionId,
    pipeline: { id: row.pipelineId, name: row.pipelineName, repository: row.repository },
    status: row.status,
    sha: row.commitSha ?? "",
    message: row.commitMessage,
    url: row.commitUrl,
    branch: row.branch,
    triggerType: row.triggerType,
    startTime: row.startTime,
    lastUpdateTime: row.lastUpdateTime,
    reached: reachedById.get(row.id) ?? null,
  }));

  // Each stage's latest execution, as the stored state says: the stage runs that execution's commit now.
  const stagesNow: StageNow[] = pipelines.flatMap((p) => {
    const snapshot = readSnapshot(p.state);
    const githubId = p.repository?.githubId ?? null;
    const mapped = new Map(
      mappings
        .filter((m) => m.pipelineId === p.id && githubId !== null && m.repositoryGithubId === githubId)
        .map((m) => [m.stageName, m]),
    );
    return (snapshot?.stages ?? []).flatMap((stage) =>
      stage.latestExecution
        ? [
            {
              pipelineId: p.id,
              stage: stage.name,
              executionId: stage.latestExecution.executionId,
              status: stage.latestExecution.status,
              mapping: mapped.has(stage.name)
                ? {
                    environment: mapped.get(stage.name)?.environment ?? null,
                    production: mapped.get(stage.name)?.production ?? false,
                  }
                : undefined,
            },
          ]
        : [],
    );
  });
  const stageCounts = new Map(stageTotals.map((t) => [t.pipelineId, t._count._all]));
  return { commits: placeCommits(executions, stagesNow, stageCounts), truncated: rows.length > SEARCH_LIMIT };
}
