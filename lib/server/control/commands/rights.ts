import "server-only";
import { CONTROL_COMMANDS, type ControlCommand } from "@/lib/config/policy";
import {
  STAGE_COMMAND_KINDS,
  type PipelineRights,
  type RepositoryPermission,
  type Right,
} from "@/lib/control/contract";
import { env } from "@/lib/env";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import { targetsFromEnv } from "@/lib/server/sync/config/targets";
import { commandRight } from "../policy/evaluate";
import { effectivePolicy, type Policy } from "../policy/policy";
import { listOverrides, type StoredOverride } from "../policy/stored";

// What a viewer may do on a pipeline, before they click: advisory, so it reads the visibility cache's
// permission (no GitHub call) and the stored policy; the command itself asks GitHub again (runCommand).
// Besides the policy, a command is offered only where CodePipeline can take it at all: a pipeline AWS no
// longer has takes none, one whose AWS account this instance has no access to takes none, and rollbacks
// and conditions exist on V2 pipelines only. Whether a stage's state allows one now (failed, running,
// transition disabled) is the page's to judge from the state it shows (lib/control/available-controls.ts).

type CommandRights = PipelineRights["commands"];

const V2_ONLY: ReadonlySet<ControlCommand> = new Set(["rollback-stage", "override-condition"]);

type PipelineRow = {
  targetId: string;
  pipelineType: string | null;
  githubId: string | null;
};

/** The viewer's cached permission on the repository with GitHub id `githubId` (matched by id, not by name). */
function cachedPermission(viewer: Viewer, githubId: bigint | null): RepositoryPermission | null {
  if (githubId === null) return null;
  for (const [name, id] of viewer.repositoryIds) if (id === githubId) return viewer.repositories.get(name) ?? null;
  return null;
}

/** Why CodePipeline cannot take `kind` on this pipeline whatever the policy says, or null when it can. */
function impossible(kind: ControlCommand, pipeline: { deleted: boolean; configured: boolean; v2: boolean }) {
  if (pipeline.deleted) return "this pipeline no longer exists in AWS";
  if (!pipeline.configured) return "this Stageboard has no AWS access configured for this pipeline's account";
  if (V2_ONLY.has(kind) && !pipeline.v2) return "only V2 pipelines have this command";
  return null;
}

export async function getPipelineRights(
  viewer: Viewer,
  pipelineId: string,
  db: Db = appDb,
): Promise<PipelineRights | null> {
  const visible = await findVisiblePipeline(db, viewer, pipelineId);
  if (!visible) return null;
  const [row] = await db.$queryRaw<PipelineRow[]>`
    SELECT p."targetId", p."pipelineType", r."githubId"::text AS "githubId"
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId" WHERE p.id = ${pipelineId}`;
  if (!row) return null;
  const githubId = row.githubId === null ? null : BigInt(row.githubId);
  const state = {
    deleted: visible.deleted,
    configured: targetsFromEnv(env).some((t) => t.id === row.targetId),
    v2: row.pipelineType === "V2",
  };
  const permission = cachedPermission(viewer, githubId);
  const readOnly = env.STAGEBOARD_READ_ONLY;
  const rightFor = (kind: ControlCommand, policy: Policy): Right => {
    if (readOnly) return commandRight({ kind, policy, permission, repository: visible.repository, readOnly });
    const reason = impossible(kind, state);
    if (reason) return { allowed: false, reason };
    return commandRight({ kind, policy, permission, repository: visible.repository, readOnly });
  };

  const overrides = githubId === null ? [] : await listOverrides(db, githubId);
  const level = (pipeline: string, stage: string) =>
    overrides.find((o) => o.pipelineId === pipeline && o.stageName === stage)?.override ?? null;
  const policyAt = (stage: string | null) =>
    effectivePolicy({
      instance: env.STAGEBOARD_POLICY,
      repository: visible.repository,
      stored: {
        repository: level("", ""),
        pipeline: level(pipelineId, ""),
        stage: stage ? level(pipelineId, stage) : null,
      },
    });

  const pipelinePolicy = policyAt(null);
  const commands = Object.fromEntries(
    CONTROL_COMMANDS.map((kind) => [kind, rightFor(kind, pipelinePolicy)]),
  ) as CommandRights;
  const stageOverrides = overrides.filter((o: StoredOverride) => o.pipelineId === pipelineId && o.stageName !== "");
  const stages: NonNullable<PipelineRights["stages"]> = {};
  for (const { stageName } of stageOverrides) {
    const policy = policyAt(stageName);
    stages[stageName] = Object.fromEntries(STAGE_COMMAND_KINDS.map((kind) => [kind, rightFor(kind, policy)])) as Record<
      (typeof STAGE_COMMAND_KINDS)[number],
      Right
    >;
  }
  return { readOnlyInstance: readOnly, commands, ...(stageOverrides.length > 0 ? { stages } : {}) };
}
