import "server-only";
import type { PolicyOverride } from "@/lib/config/policy";
import { ApiError } from "@/lib/server/api/errors";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { canSeeRepository } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import { recordPolicyChange } from "../audit/record";
import { freshRepositoryPermission } from "../fresh-permission";
import { writeOverride } from "./stored";

// PUT /api/repositories/[owner]/[name]/policy behind the route: the repository's GitHub admins (asked of
// GitHub now, with their own token) and Stageboard administrators set or clear one level's override; the
// change and the audit entry naming it (before and after) commit together.

export interface PolicyUpdate {
  pipelineId: string | null;
  stageName: string | null;
  override: PolicyOverride;
}

export async function updatePolicy(
  viewer: Viewer,
  fullName: string,
  update: PolicyUpdate,
  requestId: string,
  deps: { db?: Db } = {},
): Promise<void> {
  const db = deps.db ?? appDb;
  const key = fullName.toLowerCase();
  const githubId = viewer.repositoryIds.get(key);
  if (!canSeeRepository(viewer, key) || githubId === undefined)
    throw new ApiError({ code: "not_found", message: "Repository not found" });
  if (!viewer.isAdmin) {
    const permission = await freshRepositoryPermission(viewer.userId, key, db);
    if (permission !== "admin")
      throw new ApiError({
        code: "forbidden",
        message: `changing the policy needs admin on ${key}; you have ${permission ?? "no access"}`,
      });
  }
  let pipelineName: string | null = null;
  if (update.pipelineId) {
    const pipeline = await db.pipeline.findFirst({
      where: { id: update.pipelineId, repository: { githubId }, deletedAt: null },
      select: { name: true, stages: { select: { name: true } } },
    });
    if (!pipeline) throw new ApiError({ code: "not_found", message: "No such pipeline in this repository" });
    if (update.stageName && !pipeline.stages.some((s) => s.name === update.stageName))
      throw new ApiError({ code: "not_found", message: "No such stage in this pipeline" });
    pipelineName = pipeline.name;
  } else if (update.stageName) {
    throw new ApiError({ code: "bad_request", message: "A stage needs its pipeline" });
  }
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true, login: true } });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  await db.$transaction(async (tx) => {
    const scope = {
      repositoryGithubId: githubId,
      pipelineId: update.pipelineId ?? "",
      stageName: update.stageName ?? "",
    };
    const before = await writeOverride(tx, scope, update.override, user.login);
    await recordPolicyChange(tx, {
      actor: { githubId: user.githubId, login: user.login },
      subject: {
        repository: key,
        repositoryGithubId: githubId,
        pipelineId: update.pipelineId,
        pipelineName,
        stageName: update.stageName,
      },
      before,
      after: update.override,
      requestId,
    });
  });
}
