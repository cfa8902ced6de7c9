// Stores a pipeline's declaration (one snapshot per version), its current stages and actions, and
// its repository mapping.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { PipelineDefinitionInfo } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import { ensureRepository, mapPipelineRepository } from "./source-connections";

const json = (value: unknown) => value as Prisma.InputJsonValue;

export async function storeDefinition(db: Db, pipelineId: string, def: PipelineDefinitionInfo): Promise<void> {
  const mapping = await mapPipelineRepository(db, pipelineId, def);
  const repository = mapping.fullName
    ? await ensureRepository(db, mapping.fullName, mapping.owner ?? "", mapping.name ?? "")
    : null;
  await db.$transaction(async (tx) => {
    await tx.pipelineDefinition.upsert({
      where: { pipelineId_version: { pipelineId, version: def.version } },
      create: { pipelineId, version: def.version, definition: json(def.declaration) },
      update: { definition: json(def.declaration), fetchedAt: new Date() },
    });
    const names = def.stages.map((s) => s.name);
    await tx.stage.deleteMany({ where: { pipelineId, name: { notIn: names } } });
    for (const [position, stage] of def.stages.entries()) {
      const conditions = stage.conditions ? json(stage.conditions) : undefined;
      await tx.stage.upsert({
        where: { pipelineId_name: { pipelineId, name: stage.name } },
        create: { pipelineId, name: stage.name, position, conditions },
        update: { position, conditions: conditions ?? Prisma.DbNull },
      });
    }
    await tx.action.deleteMany({ where: { pipelineId } });
    await tx.action.createMany({
      data: def.stages.flatMap((stage) =>
        stage.actions.map((a) => ({
          pipelineId,
          stageName: stage.name,
          name: a.name,
          category: a.category,
          owner: a.owner,
          provider: a.provider,
          providerVersion: a.providerVersion,
          runOrder: a.runOrder,
          configuration: a.configuration ? json(a.configuration) : undefined,
          region: a.region,
          namespace: a.namespace,
        })),
      ),
      skipDuplicates: true,
    });
    await tx.pipeline.update({
      where: { id: pipelineId },
      data: {
        arn: def.arn,
        version: def.version,
        pipelineType: def.pipelineType,
        executionMode: def.executionMode,
        variables: def.variables ? json(def.variables) : undefined,
        triggers: def.triggers ? json(def.triggers) : undefined,
        awsCreatedAt: def.created,
        awsUpdatedAt: def.updated,
        repositoryId: repository?.id ?? null,
        sourceBranch: mapping.branch,
        sourceProvider: mapping.provider,
        sourceConnectionArn: mapping.connectionArn,
        sourceConnectionProvider: mapping.connectionProvider,
        deletedAt: null,
      },
    });
    await tx.pipelineSync.update({ where: { pipelineId }, data: { definitionVersion: def.version } });
  });
}
