import "server-only";
import type { z } from "zod";
import { ApiError } from "@/lib/server/api/errors";
import { recordPolicyChange } from "@/lib/server/control/audit/record";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import type { writebackSettingsUpdateSchema } from "@/lib/writeback/settings-schemas";
import { writebackSettingsManager, type WritebackRepository } from "./access";
import { writeEnvironments, writeSwitches, type StoredStage } from "./stored";

// PUT /api/repositories/[owner]/[name]/writeback behind the route: the repository's GitHub admins (asked of GitHub
// now, with their own token) and Stageboard administrators set or clear switches and one pipeline's stage mapping;
// each change and the audit entry naming it (before and after) commit together, as a settings change. Returns the
// repository as confirmed, so the answer needs no second question to GitHub.

export type WritebackSettingsChange = z.output<typeof writebackSettingsUpdateSchema>;

/** Pure: a pipeline's stage mapping as the audit log keeps it, stage → environment (null: none). */
const mappingOf = (stages: readonly StoredStage[]) =>
  Object.fromEntries(stages.map(({ stage, target }) => [stage, target]));

export async function updateWritebackSettings(
  viewer: Viewer,
  fullName: string,
  change: WritebackSettingsChange,
  requestId: string,
  deps: { db?: Db } = {},
): Promise<WritebackRepository> {
  const db = deps.db ?? appDb;
  const repository = await writebackSettingsManager(viewer, fullName, db);
  let pipeline: { id: string; name: string; stages: StoredStage[] } | null = null;
  if (change.pipeline) {
    const { pipelineId, stages } = change.pipeline;
    const found = await db.pipeline.findFirst({
      where: { id: pipelineId, repository: { githubId: repository.githubId }, deletedAt: null },
      select: { name: true, stages: { select: { name: true } } },
    });
    if (!found)
      throw new ApiError({ code: "not_found", message: `No pipeline ${pipelineId} delivers ${repository.fullName}` });
    const known = new Set(found.stages.map((s) => s.name));
    const unknown = (stages ?? []).find((s) => !known.has(s.stage));
    if (unknown)
      throw new ApiError({ code: "not_found", message: `Pipeline ${found.name} has no stage ${unknown.stage}` });
    pipeline = {
      id: pipelineId,
      name: found.name,
      stages: (stages ?? []).map((s) => ({
        stage: s.stage,
        target:
          s.environment === null
            ? null
            : { environment: s.environment, production: s.production, transient: s.transient },
      })),
    };
  }
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true, login: true } });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const actor = { githubId: user.githubId, login: user.login };
  const subject = { repository: repository.fullName, repositoryGithubId: repository.githubId };
  await db.$transaction(async (tx) => {
    if (change.switches) {
      const { before, after } = await writeSwitches(tx, {
        repositoryGithubId: repository.githubId,
        patch: change.switches,
        login: user.login,
      });
      await recordPolicyChange(tx, {
        actor,
        subject: { ...subject, pipelineId: null, pipelineName: null },
        before: { writeback: before },
        after: { writeback: after },
        requestId,
      });
    }
    if (pipeline) {
      const before = await writeEnvironments(tx, {
        repositoryGithubId: repository.githubId,
        pipelineId: pipeline.id,
        stages: pipeline.stages,
        login: user.login,
      });
      await recordPolicyChange(tx, {
        actor,
        subject: { ...subject, pipelineId: pipeline.id, pipelineName: pipeline.name },
        before: { writebackEnvironments: mappingOf(before) },
        after: { writebackEnvironments: mappingOf(pipeline.stages) },
        requestId,
      });
    }
  });
  return repository;
}
