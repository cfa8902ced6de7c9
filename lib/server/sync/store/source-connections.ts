// What Postgres knows about a target's connections and its configured GitHub, turned into the mapping
// context, and the re-mapping of pipelines once that knowledge (or the configured GitHub) changes.
import "server-only";
import { randomUUID } from "node:crypto";
import { connectionKey } from "@/lib/server/aws/connection-arn";
import type { ActionDefinitionInfo, PipelineDefinitionInfo } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import { pinFromRecentLists } from "@/lib/server/identity/repository-pins";
import {
  CONNECTION_PROVIDERS,
  isGitHubDotCom,
  mapRepository,
  type ConnectionFact,
  type MappingContext,
  type RepositoryMapping,
} from "../decide/repository-mapping";

function connectionArnsOf(stages: Pick<PipelineDefinitionInfo, "stages">["stages"]): string[] {
  return stages.flatMap((s) =>
    s.actions.flatMap((a) =>
      a.category === "Source" && a.configuration?.ConnectionArn ? [a.configuration.ConnectionArn] : [],
    ),
  );
}

/** The mapping context for pipelines of one target, with the connections among `arns` that are known. */
export async function loadMappingContext(db: Db, targetId: string, arns: string[]): Promise<MappingContext> {
  const keys = [...new Set(arns.map(connectionKey).filter((k): k is string => k !== null))];
  const [target, rows] = await Promise.all([
    db.target.findUnique({ where: { id: targetId }, select: { githubUrl: true, githubIsGitHubCom: true } }),
    keys.length
      ? db.sourceConnection.findMany({
          where: { targetId, key: { in: keys } },
          select: { key: true, providerType: true, providerEndpoint: true },
        })
      : [],
  ]);
  const facts = new Map<string, ConnectionFact>(
    rows.map((r) => [r.key, { providerType: r.providerType, providerEndpoint: r.providerEndpoint }]),
  );
  return {
    githubUrl: target?.githubUrl ?? null,
    // Null on rows from before the rule; such targets are re-mapped at start-up (ensureTargetRows), and until then
    // only github.com itself counts.
    githubIsGitHubCom: target?.githubIsGitHubCom ?? isGitHubDotCom(target?.githubUrl ?? null, null),
    connection: (arn) => facts.get(connectionKey(arn) ?? "") ?? null,
  };
}

export async function mapPipelineRepository(
  db: Db,
  pipelineId: string,
  definition: Pick<PipelineDefinitionInfo, "stages">,
): Promise<RepositoryMapping> {
  const pipeline = await db.pipeline.findUnique({ where: { id: pipelineId }, select: { targetId: true } });
  const context = pipeline
    ? await loadMappingContext(db, pipeline.targetId, connectionArnsOf(definition.stages))
    : undefined;
  return mapRepository(definition, context);
}

/**
 * One row per repository even when several workers discover its pipelines at once: Prisma's
 * upsert is a read-then-write and loses that race with a unique violation; ON CONFLICT does not.
 * A row without a GitHub id yet is pinned from a signed-in user's recent list that names it, if any
 * (lib/server/identity/repository-pins.ts); until pinned, its pipelines are visible to nobody.
 */
export async function ensureRepository(db: Db, fullName: string, owner: string, name: string): Promise<{ id: string }> {
  const rows = await db.$queryRaw<{ id: string; pinned: boolean }[]>`
    INSERT INTO "Repository" (id, "fullName", owner, name) VALUES (${randomUUID()}, ${fullName}, ${owner}, ${name})
    ON CONFLICT ("fullName") DO UPDATE SET "fullName" = EXCLUDED."fullName"
    RETURNING id, "githubId" IS NOT NULL AS pinned`;
  const row = rows[0];
  if (!row) throw new Error(`repository ${fullName} was not stored`);
  if (!row.pinned) await pinFromRecentLists(db, row.id);
  return { id: row.id };
}

/** Maps every connection-sourced pipeline of the target again from its stored source actions; returns how many changed. */
export function remapConnectionSources(db: Db, targetId: string): Promise<number> {
  return remapSources(db, targetId, false);
}

/**
 * Maps every pipeline of the target whose mapping depends on the configured GitHub again: connection sources
 * and GitHub (version 1) sources, which map only while the configured GitHub is github.com. Returns how many
 * changed.
 */
export function remapGitHubSources(db: Db, targetId: string): Promise<number> {
  return remapSources(db, targetId, true);
}

async function remapSources(db: Db, targetId: string, withGitHubV1: boolean): Promise<number> {
  const providers = withGitHubV1 ? [...CONNECTION_PROVIDERS, "GitHub"] : [...CONNECTION_PROVIDERS];
  const pipelines = await db.pipeline.findMany({
    // Rows mapped before connections were known carry only their source provider.
    where: {
      targetId,
      OR: [{ sourceConnectionArn: { not: null } }, { sourceProvider: { in: providers } }],
    },
    select: {
      id: true,
      repositoryId: true,
      sourceConnectionProvider: true,
      repository: { select: { fullName: true } },
      stages: { select: { name: true, position: true, actions: { where: { category: "Source" } } } },
    },
  });
  if (pipelines.length === 0) return 0;
  const context = await loadMappingContext(
    db,
    targetId,
    pipelines
      .map((p) =>
        p.stages.flatMap((s) =>
          s.actions.map((a) => (a.configuration as Record<string, string> | null)?.ConnectionArn ?? ""),
        ),
      )
      .flat(),
  );
  let changed = 0;
  for (const p of pipelines) {
    const stages = [...p.stages]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        name: s.name,
        conditions: null,
        actions: s.actions.map((a): ActionDefinitionInfo => ({
          ...a,
          configuration: (a.configuration ?? null) as Record<string, string> | null,
          timeoutInMinutes: null,
        })),
      }));
    const mapping = mapRepository({ stages }, context);
    if (
      mapping.fullName === (p.repository?.fullName ?? null) &&
      mapping.connectionProvider === p.sourceConnectionProvider
    )
      continue;
    const repository = mapping.fullName
      ? await ensureRepository(db, mapping.fullName, mapping.owner ?? "", mapping.name ?? "")
      : null;
    await db.pipeline.update({
      where: { id: p.id },
      data: {
        repositoryId: repository?.id ?? null,
        sourceConnectionArn: mapping.connectionArn,
        sourceConnectionProvider: mapping.connectionProvider,
      },
    });
    changed++;
  }
  return changed;
}

/** Whether a live pipeline of the target sits on a connection whose provider is not known yet. */
export async function hasUnknownConnections(db: Db, targetId: string): Promise<boolean> {
  const found = await db.pipeline.findFirst({
    where: { targetId, deletedAt: null, sourceConnectionArn: { not: null }, sourceConnectionProvider: null },
    select: { id: true },
  });
  return found !== null;
}
