import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import { recordPolicyChange } from "@/lib/server/control/audit/record";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { githubApp } from "@/lib/server/github/app";
import type { Viewer } from "@/lib/server/session";
import { gateSettingsManager, type GatePipelineRef } from "./access";
import { gateSettingsRefusal, mergeGateSettings } from "./decide";
import type { GateSettingsUpdate } from "./schemas";
import { readGate, settingsOf, writeGate } from "./stored";
import { commitStartOf, readPipelineFacts } from "./view";

// PUT /api/pipelines/[id]/gate behind the route: the repository's GitHub admins (asked of GitHub now, with their own
// token) and Stageboard administrators change the pipeline's gate; the row and the audit entry naming the change
// (before and after) commit together, as a settings change. Returns the pipeline as confirmed.

export async function updateGateSettings(
  viewer: Viewer,
  pipelineId: string,
  change: GateSettingsUpdate,
  requestId: string,
  deps: { db?: Db } = {},
): Promise<GatePipelineRef> {
  const db = deps.db ?? appDb;
  const pipeline = await gateSettingsManager(viewer, pipelineId, db);
  const [facts, app, user] = await Promise.all([
    readPipelineFacts(db, pipeline.id),
    githubApp(),
    db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true, login: true } }),
  ]);
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  await db.$transaction(async (tx) => {
    const before = await readGate(tx, pipeline.id);
    const after = mergeGateSettings(before, change);
    const refusal = gateSettingsRefusal(after, {
      appConfigured: app !== null,
      commitStart: commitStartOf(pipeline, facts),
    });
    if (refusal) throw new ApiError(refusal);
    await writeGate(tx, pipeline.id, after, user.login);
    await recordPolicyChange(tx, {
      actor: { githubId: user.githubId, login: user.login },
      subject: {
        repository: pipeline.repository,
        repositoryGithubId: facts.repositoryGithubId,
        pipelineId: pipeline.id,
        pipelineName: pipeline.name,
      },
      before: { releaseGate: settingsOf(before) },
      after: { releaseGate: settingsOf(after) },
      requestId,
    });
  });
  return pipeline;
}
