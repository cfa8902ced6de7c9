// Discovery: ListPipelines per target (one process at a time, under a lease on the Target row). New
// pipelines get a PipelineSync row that is due at once; vanished ones are marked deleted, history kept.
import "server-only";
import type { CodePipelineApi } from "@/lib/server/aws/codepipeline-api";
import type { PipelineSummaryInfo } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";

export interface DiscoveryResult {
  listed: number;
  created: number;
  deleted: number;
}

/** Claims the target's discovery lease when discovery is due (or forced); false when another process holds it. */
export async function claimDiscovery(
  db: Db,
  targetId: string,
  owner: string,
  now: Date,
  leaseMs: number,
  force = false,
): Promise<boolean> {
  const { count } = await db.target.updateMany({
    where: {
      id: targetId,
      ...(force ? {} : { nextDiscoveryAt: { lte: now } }),
      OR: [{ discoveryLeaseUntil: null }, { discoveryLeaseUntil: { lt: now } }],
    },
    data: { discoveryLeaseOwner: owner, discoveryLeaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

export async function releaseDiscovery(
  db: Db,
  targetId: string,
  owner: string,
  nextAt: Date,
  succeeded: boolean,
  now: Date,
): Promise<void> {
  await db.target.updateMany({
    where: { id: targetId, discoveryLeaseOwner: owner },
    data: {
      discoveryLeaseOwner: null,
      discoveryLeaseUntil: null,
      nextDiscoveryAt: nextAt,
      ...(succeeded ? { lastDiscoveryAt: now } : {}),
    },
  });
}

export async function listAllPipelines(api: CodePipelineApi): Promise<PipelineSummaryInfo[]> {
  const all: PipelineSummaryInfo[] = [];
  let token: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await api.listPipelines(token);
    all.push(...result.items);
    token = result.nextToken;
    if (!token) break;
  }
  return all;
}

export async function applyDiscovery(
  db: Db,
  targetId: string,
  summaries: PipelineSummaryInfo[],
  now: Date,
): Promise<DiscoveryResult> {
  const existing = await db.pipeline.findMany({
    where: { targetId },
    select: { id: true, name: true, version: true, deletedAt: true, sync: { select: { pipelineId: true } } },
  });
  const byName = new Map(existing.map((p) => [p.name, p]));
  let created = 0;
  for (const summary of summaries) {
    const known = byName.get(summary.name);
    if (known && known.version === summary.version && !known.deletedAt && known.sync) continue;
    const pipeline = await db.pipeline.upsert({
      where: { targetId_name: { targetId, name: summary.name } },
      create: {
        targetId,
        name: summary.name,
        version: summary.version,
        pipelineType: summary.pipelineType,
        executionMode: summary.executionMode,
        awsCreatedAt: summary.created,
        awsUpdatedAt: summary.updated,
      },
      update: {
        version: summary.version,
        pipelineType: summary.pipelineType,
        executionMode: summary.executionMode,
        awsUpdatedAt: summary.updated,
        deletedAt: null,
      },
      select: { id: true },
    });
    if (!known) created++;
    // A new or changed pipeline is due at once (its definition is fetched by the next sync).
    await db.pipelineSync.upsert({
      where: { pipelineId: pipeline.id },
      create: { pipelineId: pipeline.id, nextSyncAt: now },
      update: { nextSyncAt: now },
    });
  }
  const listed = new Set(summaries.map((s) => s.name));
  const gone = existing.filter((p) => !p.deletedAt && !listed.has(p.name)).map((p) => p.id);
  if (gone.length > 0) await markDeleted(db, gone, now);
  return { listed: summaries.length, created, deleted: gone.length };
}

export async function markDeleted(db: Db, pipelineIds: string[], now: Date): Promise<void> {
  await db.pipeline.updateMany({ where: { id: { in: pipelineIds }, deletedAt: null }, data: { deletedAt: now } });
  // Deleted pipelines are no longer polled; rediscovery clears deletedAt and makes them due again.
  await db.pipelineSync.updateMany({
    where: { pipelineId: { in: pipelineIds } },
    data: { nextSyncAt: new Date("9999-12-31T00:00:00Z") },
  });
}
