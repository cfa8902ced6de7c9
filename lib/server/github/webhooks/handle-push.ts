import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { pushFacts, watchesBranch } from "./push";

// A push GitHub announced makes the pipelines that watch its branch due for a sync at once, and keeps them watched
// for PUSH_WATCH_MS (decide/schedule.ts's watchedAfterPush): CodePipeline starts the execution seconds to a minute
// later, so a single check now would usually be too early. The caller wakes this process's engine after commit.

export const PUSH_WATCH_MS = 180_000;
/** The first check waits this long: CodePipeline has rarely started the execution sooner. */
const FIRST_CHECK_MS = 1_000;

export type PushOutcome = { kind: "ignored"; reason: string } | { kind: "synced"; pipelines: number };

export async function handlePush(tx: FeedTx, payload: unknown, now: Date): Promise<PushOutcome> {
  const push = pushFacts(payload);
  if (!push) return { kind: "ignored", reason: "not a branch moving forward" };
  const candidates = await tx.$queryRaw<{ id: string; sourceBranch: string | null; triggers: unknown }[]>`
    SELECT p.id, p."sourceBranch", p.triggers FROM "Pipeline" p JOIN "Repository" r ON r.id = p."repositoryId"
     WHERE lower(COALESCE(r."githubFullName", r."fullName")) = ${push.repository} AND p."deletedAt" IS NULL`;
  const ids = candidates.filter((p) => watchesBranch(p, push.branch)).map((p) => p.id);
  if (ids.length === 0) return { kind: "ignored", reason: `no pipeline watches ${push.repository}@${push.branch}` };
  const due = new Date(now.getTime() + FIRST_CHECK_MS);
  const until = new Date(now.getTime() + PUSH_WATCH_MS);
  await tx.$executeRaw`
    UPDATE "PipelineSync" SET
      "requestedAt" = ${now},
      "nextSyncAt" = LEAST("nextSyncAt", ${due}),
      "pushWatchUntil" = GREATEST(COALESCE("pushWatchUntil", ${until}), ${until})
    WHERE "pipelineId" = ANY(${ids}::text[])`;
  return { kind: "synced", pipelines: ids.length };
}
