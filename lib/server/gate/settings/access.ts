import "server-only";
import { ApiError } from "@/lib/server/api/errors";
import { freshRepositoryPermission } from "@/lib/server/control/fresh-permission";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";

// Who may see and change a pipeline's release gate: the admins of its GitHub repository, as GitHub says now (asked
// with the person's own token on every read and every change, never the cached list: the gate decides which commits
// reach production), and Stageboard administrators. A pipeline the viewer cannot see, a deleted one and an unknown
// id all answer 404, alike.

export type GatePipelineRef = { id: string; name: string; repository: string | null };

export async function gateSettingsManager(
  viewer: Viewer,
  pipelineId: string,
  db: Db = appDb,
): Promise<GatePipelineRef> {
  const pipeline = await findVisiblePipeline(db, viewer, pipelineId);
  if (!pipeline || pipeline.deleted) throw new ApiError({ code: "not_found", message: "No such pipeline" });
  const repository = pipeline.repository?.toLowerCase() ?? null;
  const ref = { id: pipeline.id, name: pipeline.name, repository };
  if (viewer.isAdmin) return ref;
  // Visible and not an administrator: the pipeline has a repository (unmapped ones are administrators' only).
  const permission = repository ? await freshRepositoryPermission(viewer.userId, repository, db) : null;
  if (permission !== "admin")
    throw new ApiError({
      code: "forbidden",
      message: `The release gate needs admin on ${repository ?? "the pipeline's repository"}; you have ${permission ?? "no access"}`,
    });
  return ref;
}
