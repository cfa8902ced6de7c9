import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { WRITEBACK_SWITCHES, type WritebackSwitch } from "@/lib/writeback/settings-schemas";
import type { StoredSettings } from "./read";
import type { EnvironmentTarget } from "./types";

// The only readers and writers of tables WritebackSwitches and WritebackEnvironment: what a repository's admins
// stored over the instance's write-back settings. Rows are keyed by GitHub's repository id, so the outbox reaches
// them from a pipeline through its repository's id, and a name registered again by someone else inherits nothing.

type Tx = Pick<Db, "$queryRaw" | "writebackSwitches" | "writebackEnvironment">;

export type StoredSwitches = Record<WritebackSwitch, boolean | null>;
export type StoredStage = { stage: string; target: EnvironmentTarget | null };

const NO_SWITCHES: StoredSwitches = { checkRuns: null, statuses: null, stageStatuses: null, deployments: null };

type Row = {
  checkRuns: boolean | null;
  statuses: boolean | null;
  stageStatuses: boolean | null;
  deployments: boolean | null;
  stageName: string | null;
  environment: string | null;
  production: boolean | null;
  transient: boolean | null;
};

const targetOf = (row: { environment: string | null; production: boolean | null; transient: boolean | null }) =>
  row.environment === null
    ? null
    : { environment: row.environment, production: row.production ?? false, transient: row.transient ?? false };

/**
 * What the pipeline's repository stored, in one query by primary keys (the outbox calls it once per execution, in
 * the change feed consumer's transaction); null when it stored nothing, or the repository has no GitHub id yet.
 */
export async function readStoredForPipeline(tx: FeedTx, pipelineId: string): Promise<StoredSettings | null> {
  const rows = await tx.$queryRaw<Row[]>`
    SELECT s."checkRuns", s.statuses, s."stageStatuses", s.deployments,
           e."stageName", e.environment, e.production, e.transient
      FROM "Pipeline" p
      JOIN "Repository" r ON r.id = p."repositoryId"
      LEFT JOIN "WritebackSwitches" s ON s."repositoryGithubId" = r."githubId"
      LEFT JOIN "WritebackEnvironment" e ON e."repositoryGithubId" = r."githubId" AND e."pipelineId" = p.id
     WHERE p.id = ${pipelineId}`;
  const first = rows[0];
  if (!first) return null;
  const environments = new Map<string, EnvironmentTarget | null>();
  for (const row of rows) if (row.stageName !== null) environments.set(row.stageName, targetOf(row));
  const switches = Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, first[k]])) as StoredSwitches;
  if (environments.size === 0 && WRITEBACK_SWITCHES.every((k) => switches[k] === null)) return null;
  return { switches, environments };
}

/** The repository's stored switches and every pipeline's stored stages, for its settings page. */
export async function readStoredForRepository(
  db: Tx,
  repositoryGithubId: bigint,
): Promise<{ switches: StoredSwitches; pipelines: Map<string, StoredStage[]> }> {
  const [row, stages] = await Promise.all([
    db.writebackSwitches.findUnique({ where: { repositoryGithubId } }),
    db.writebackEnvironment.findMany({ where: { repositoryGithubId }, orderBy: [{ pipelineId: "asc" }] }),
  ]);
  const pipelines = new Map<string, StoredStage[]>();
  for (const stage of stages)
    pipelines.set(stage.pipelineId, [
      ...(pipelines.get(stage.pipelineId) ?? []),
      { stage: stage.stageName, target: targetOf(stage) },
    ]);
  const switches = row
    ? (Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, row[k]])) as StoredSwitches)
    : NO_SWITCHES;
  return { switches, pipelines };
}

/** Applies a switches patch (undefined: unchanged); returns the switches before and after. All null: no row. */
export async function writeSwitches(
  tx: Tx,
  input: { repositoryGithubId: bigint; patch: Partial<StoredSwitches>; login: string },
): Promise<{ before: StoredSwitches; after: StoredSwitches }> {
  const { repositoryGithubId } = input;
  const row = await tx.writebackSwitches.findUnique({ where: { repositoryGithubId } });
  const before = row ? (Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, row[k]])) as StoredSwitches) : NO_SWITCHES;
  const after = { ...before };
  for (const key of WRITEBACK_SWITCHES) if (input.patch[key] !== undefined) after[key] = input.patch[key];
  if (WRITEBACK_SWITCHES.every((k) => after[k] === null))
    await tx.writebackSwitches.deleteMany({ where: { repositoryGithubId } });
  else
    await tx.writebackSwitches.upsert({
      where: { repositoryGithubId },
      create: { repositoryGithubId, ...after, updatedByLogin: input.login },
      update: { ...after, updatedByLogin: input.login },
    });
  return { before, after };
}

/** Replaces one pipeline's stored stages (empty: every stage back to its default); returns them before. */
export async function writeEnvironments(
  tx: Tx,
  input: { repositoryGithubId: bigint; pipelineId: string; stages: readonly StoredStage[]; login: string },
): Promise<StoredStage[]> {
  const where = { repositoryGithubId: input.repositoryGithubId, pipelineId: input.pipelineId };
  const before = await tx.writebackEnvironment.findMany({ where, orderBy: { stageName: "asc" } });
  await tx.writebackEnvironment.deleteMany({ where });
  if (input.stages.length)
    await tx.writebackEnvironment.createMany({
      data: input.stages.map(({ stage, target }) => ({
        ...where,
        stageName: stage,
        environment: target?.environment ?? null,
        production: target?.production ?? false,
        transient: target?.transient ?? false,
        updatedByLogin: input.login,
      })),
    });
  return before.map((row) => ({ stage: row.stageName, target: targetOf(row) }));
}
