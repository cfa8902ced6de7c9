import { db } from "@/lib/server/db/client";
import { DurationSparkline } from "./sparkline";

// The pipeline page's sparkline, read on the server: its last 30 finished executions by start time (the history
// index), an already visible pipeline's only.

const FINISHED = ["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"];

export async function PipelineSparkline({ pipelineId }: Readonly<{ pipelineId: string }>) {
  const rows = await db.execution.findMany({
    where: { pipelineId, status: { in: FINISHED } },
    orderBy: { startTime: "desc" },
    take: 30,
    select: { status: true, startTime: true, lastUpdateTime: true },
  });
  const points = rows.reverse().map((r) => ({
    durationMs: Math.max(0, r.lastUpdateTime.getTime() - r.startTime.getTime()),
    succeeded: r.status === "Succeeded",
  }));
  return <DurationSparkline points={points} href={`/pipelines/${encodeURIComponent(pipelineId)}/insights`} />;
}
