import "server-only";
import type { Metadata } from "next";
import { pipelinePageTitle } from "@/lib/pipelines/page-title";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { findVisiblePipeline } from "@/lib/server/pipelines/visibility";
import { getViewer } from "@/lib/server/session";

/**
 * A pipeline page's <title>: its name and latest status, under the same visibility rule as the page
 * (a pipeline the viewer cannot see is titled like any page that is not found).
 */
export async function pipelineMetadata(id: string, page?: string, db: Db = appDb): Promise<Metadata> {
  const viewer = await getViewer();
  const pipeline = viewer ? await findVisiblePipeline(db, viewer, id) : null;
  if (!pipeline) return { title: "Not found" };
  // The newest execution's status, as the live page keeps it (its recent list, newest first).
  const newest = await db.execution.findFirst({
    where: { pipelineId: id },
    orderBy: { startTime: "desc" },
    select: { status: true },
  });
  return { title: pipelinePageTitle({ name: pipeline.name, status: newest?.status ?? null, page }) };
}
