import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import {
  contributionOf,
  deltaOf,
  deploymentsOf,
  EMPTY,
  sameContribution,
  type Contribution,
  type ExecutionFacts,
} from "./contribution";
import { productionRule, type ProductionRule } from "./production-stages";

// Applies executions to the rollups, idempotently: each execution's contribution is kept (InsightApplied), and
// applying it again adds only the difference from what it added before: nothing for a change read twice, the
// replacement for an execution retried after it finished. Deployments are replaced per execution. Writes are set
// based (one statement per table per batch), so a rebuild of a long history runs in batches of hundreds.

export type ExecutionKey = { pipelineId: string; executionId: string };

const keyOf = (k: ExecutionKey) => `${k.pipelineId}\u0000${k.executionId}`;

async function loadFacts(tx: FeedTx, keys: readonly ExecutionKey[]): Promise<ExecutionFacts[]> {
  if (keys.length === 0) return [];
  const rows = await tx.execution.findMany({
    where: { OR: keys.map((k) => ({ pipelineId: k.pipelineId, executionId: k.executionId })) },
    select: {
      pipelineId: true,
      executionId: true,
      status: true,
      startTime: true,
      lastUpdateTime: true,
      executionType: true,
      rollbackTargetExecutionId: true,
      commitSha: true,
      stageExecutions: { select: { stageName: true, status: true, startTime: true, endTime: true } },
      actionExecutions: {
        select: {
          stageName: true,
          actionName: true,
          status: true,
          category: true,
          startTime: true,
          lastUpdateTime: true,
        },
      },
    },
  });
  return rows.map((r) => ({
    pipelineId: r.pipelineId,
    executionId: r.executionId,
    status: r.status,
    startTime: r.startTime,
    lastUpdateTime: r.lastUpdateTime,
    executionType: r.executionType,
    rollbackTargetExecutionId: r.rollbackTargetExecutionId,
    commitSha: r.commitSha,
    stages: r.stageExecutions.map((s) => ({
      name: s.stageName,
      status: s.status,
      startTime: s.startTime,
      endTime: s.endTime,
    })),
    actions: r.actionExecutions,
  }));
}

async function loadApplied(tx: FeedTx, keys: readonly ExecutionKey[]): Promise<Map<string, Contribution>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ pipelineId: string; executionId: string; contribution: Contribution }[]>`
    SELECT a."pipelineId", a."executionId", a.contribution FROM "InsightApplied" a
      JOIN unnest(${keys.map((k) => k.pipelineId)}::text[], ${keys.map((k) => k.executionId)}::text[])
        AS k(p, e) ON a."pipelineId" = k.p AND a."executionId" = k.e`;
  return new Map(rows.map((r) => [keyOf(r), r.contribution]));
}

async function writeDelta(tx: FeedTx, pipelineIds: Map<string, Contribution>) {
  const daily: (string | number)[][] = [];
  const hist: (string | number)[][] = [];
  for (const [pipelineId, delta] of pipelineIds) {
    for (const r of delta.d) daily.push([pipelineId, ...r]);
    for (const r of delta.h) hist.push([pipelineId, ...r]);
  }
  const col = <T>(rows: (string | number)[][], i: number) => rows.map((r) => r[i] as T);
  if (daily.length) {
    await tx.$executeRaw`
      INSERT INTO "InsightDaily" ("pipelineId", day, "stageName", "actionName", kind, outcome, n, "sumMs")
      SELECT * FROM unnest(${col<string>(daily, 0)}::text[], ${col<string>(daily, 1)}::date[],
        ${col<string>(daily, 2)}::text[], ${col<string>(daily, 3)}::text[], ${col<string>(daily, 4)}::text[],
        ${col<string>(daily, 5)}::text[], ${col<number>(daily, 6)}::int[], ${col<number>(daily, 7).map(String)}::bigint[])
      ON CONFLICT ("pipelineId", day, "stageName", "actionName", kind, outcome) DO UPDATE
        SET n = "InsightDaily".n + EXCLUDED.n, "sumMs" = "InsightDaily"."sumMs" + EXCLUDED."sumMs"`;
    await tx.$executeRaw`
      DELETE FROM "InsightDaily" WHERE n = 0 AND "pipelineId" = ANY(${[...pipelineIds.keys()]}::text[])`;
  }
  if (hist.length) {
    await tx.$executeRaw`
      INSERT INTO "InsightHistogram" ("pipelineId", day, "stageName", "actionName", outcome, bucket, n)
      SELECT * FROM unnest(${col<string>(hist, 0)}::text[], ${col<string>(hist, 1)}::date[],
        ${col<string>(hist, 2)}::text[], ${col<string>(hist, 3)}::text[], ${col<string>(hist, 4)}::text[],
        ${col<number>(hist, 5)}::smallint[], ${col<number>(hist, 6)}::int[])
      ON CONFLICT ("pipelineId", day, "stageName", "actionName", outcome, bucket) DO UPDATE
        SET n = "InsightHistogram".n + EXCLUDED.n`;
    await tx.$executeRaw`
      DELETE FROM "InsightHistogram" WHERE n = 0 AND "pipelineId" = ANY(${[...pipelineIds.keys()]}::text[])`;
  }
}

async function replaceDeployments(
  tx: FeedTx,
  facts: readonly ExecutionFacts[],
  changed: readonly ExecutionKey[],
  rules: Map<string, ProductionRule>,
) {
  if (changed.length === 0) return;
  await tx.$executeRaw`
    DELETE FROM "InsightDeployment" d USING unnest(${changed.map((k) => k.pipelineId)}::text[],
      ${changed.map((k) => k.executionId)}::text[]) AS k(p, e)
    WHERE d."pipelineId" = k.p AND d."executionId" = k.e`;
  const changedKeys = new Set(changed.map(keyOf));
  const rows = facts
    .filter((f) => changedKeys.has(keyOf(f)))
    .flatMap((f) => deploymentsOf(f, rules.get(f.pipelineId) ?? (() => false)).map((d) => ({ f, d })));
  if (rows.length === 0) return;
  await tx.insightDeployment.createMany({
    data: rows.map(({ f, d }) => ({
      pipelineId: f.pipelineId,
      executionId: f.executionId,
      stageName: d.stageName,
      outcome: d.outcome,
      at: d.at,
      startedAt: d.startedAt,
      sha: d.sha,
      rollback: d.rollback,
      rollbackTargetId: d.rollbackTargetId,
      approvalWaitMs: BigInt(d.approvalWaitMs),
    })),
  });
}

/** Brings the rollups up to date with these executions as stored now; returns how many changed what they add. */
export async function applyExecutions(tx: FeedTx, keys: readonly ExecutionKey[]): Promise<number> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const [facts, applied] = await Promise.all([loadFacts(tx, unique), loadApplied(tx, unique)]);
  const rules = new Map<string, ProductionRule>();
  for (const pipelineId of new Set(facts.map((f) => f.pipelineId)))
    rules.set(pipelineId, await productionRule(tx, pipelineId));
  const byKey = new Map(facts.map((f) => [keyOf(f), f]));
  const olds = new Map<string, Contribution[]>();
  const news = new Map<string, Contribution[]>();
  const changed: ExecutionKey[] = [];
  const kept: { key: ExecutionKey; contribution: Contribution }[] = [];
  for (const key of unique) {
    const fact = byKey.get(keyOf(key));
    const next = fact ? contributionOf(fact) : EMPTY;
    const previous = applied.get(keyOf(key)) ?? EMPTY;
    // Unchanged: stored as it would be now, or nothing stored and nothing to add (not finished).
    if (applied.has(keyOf(key)) ? sameContribution(previous, next) : next === EMPTY) continue;
    changed.push(key);
    kept.push({ key, contribution: next });
    olds.set(key.pipelineId, [...(olds.get(key.pipelineId) ?? []), previous]);
    news.set(key.pipelineId, [...(news.get(key.pipelineId) ?? []), next]);
  }
  if (changed.length === 0) return 0;
  const deltas = new Map<string, Contribution>();
  for (const pipelineId of new Set(changed.map((k) => k.pipelineId)))
    deltas.set(pipelineId, deltaOf(olds.get(pipelineId) ?? [], news.get(pipelineId) ?? []));
  await writeDelta(tx, deltas);
  await replaceDeployments(tx, facts, changed, rules);
  const stored = kept.filter((k) => k.contribution !== EMPTY);
  const emptied = kept.filter((k) => k.contribution === EMPTY);
  if (emptied.length)
    await tx.$executeRaw`
      DELETE FROM "InsightApplied" a USING unnest(${emptied.map((k) => k.key.pipelineId)}::text[],
        ${emptied.map((k) => k.key.executionId)}::text[]) AS k(p, e)
      WHERE a."pipelineId" = k.p AND a."executionId" = k.e`;
  if (stored.length)
    await tx.$executeRaw`
      INSERT INTO "InsightApplied" ("pipelineId", "executionId", contribution)
      SELECT * FROM unnest(${stored.map((k) => k.key.pipelineId)}::text[], ${stored.map((k) => k.key.executionId)}::text[],
        ${stored.map((k) => JSON.stringify(k.contribution))}::jsonb[])
      ON CONFLICT ("pipelineId", "executionId") DO UPDATE SET contribution = EXCLUDED.contribution, "appliedAt" = now()`;
  return changed.length;
}
