import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { utcDay } from "./contribution";

// Time held by disabled transitions, where the change feed saw both ends: a transition disabled is remembered with
// the time of its change; enabled again, the span is counted (kind "held", on the stage, on the day it was enabled).
// Only the feed carries this, so a rebuild from history keeps these rows as they are.

export async function applyTransitions(tx: FeedTx, changes: readonly ChangeRow[]): Promise<void> {
  for (const c of changes) {
    if (c.entity !== "transition" || !c.name) continue;
    const enabled = c.after.enabled;
    if (enabled === false) {
      await tx.$executeRaw`
        INSERT INTO "InsightHold" ("pipelineId", "stageName", since) VALUES (${c.pipelineId}, ${c.name}, ${c.createdAt})
        ON CONFLICT DO NOTHING`;
    } else if (enabled === true) {
      const [hold] = await tx.$queryRaw<{ since: Date }[]>`
        DELETE FROM "InsightHold" WHERE "pipelineId" = ${c.pipelineId} AND "stageName" = ${c.name} RETURNING since`;
      if (!hold) continue;
      const ms = Math.max(0, c.createdAt.getTime() - hold.since.getTime());
      await tx.$executeRaw`
        INSERT INTO "InsightDaily" ("pipelineId", day, "stageName", "actionName", kind, outcome, n, "sumMs")
        VALUES (${c.pipelineId}, ${utcDay(c.createdAt)}::date, ${c.name}, '', 'held', '', 1, ${ms})
        ON CONFLICT ("pipelineId", day, "stageName", "actionName", kind, outcome) DO UPDATE
          SET n = "InsightDaily".n + 1, "sumMs" = "InsightDaily"."sumMs" + EXCLUDED."sumMs"`;
    }
  }
}
