import type { Query, QueryClient } from "@tanstack/react-query";
import { approvalKeys } from "@/lib/control/query-keys";
import { pipelineKeys } from "./query-keys";

/** A live stream's `change` event (lib/server/live/live-event.ts). */
export type LiveChangeEvent = {
  pipelineId: string;
  executionId: string | null;
  entity: string;
  name: string | null;
  status: string | null;
};

type QueryLike = { queryKey: readonly unknown[]; state: { data: unknown } };

const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) =>
  prefix.every((part, index) => key[index] === part);

/** Whether a repository page's cached data lists the pipeline (its `pipelines[].id`). */
function listsPipeline(data: unknown, pipelineId: string): boolean {
  const pipelines = (data as { pipelines?: { id?: unknown }[] } | undefined)?.pipelines;
  return Array.isArray(pipelines) && pipelines.some((p) => p?.id === pipelineId);
}

/** Whether a cached approval (GET /api/approvals/:id) belongs to the pipeline. */
const approvalOf = (data: unknown, pipelineId: string): boolean =>
  (data as { pipelineId?: unknown } | undefined)?.pipelineId === pipelineId;

/**
 * Which cached queries a batch of changes makes stale: each pipeline's detail, history and the
 * executions named (all of them for a pipeline-level change), every overview (a status change can move
 * a pipeline into or out of a filter), and the repository lists that hold one of the pipelines, or the
 * repository the stream is about (a pipeline new to it). An approval's change (one requested, voted on,
 * decided, expired) refetches the inbox, the header's count and every approval shown; any other change
 * refetches the approvals of its pipeline (their panels show the stages before them).
 */
export function touchedBy(
  events: readonly LiveChangeEvent[],
  scope: { repository?: string | undefined } = {},
): (query: QueryLike) => boolean {
  const pipelines = new Set(events.map((e) => e.pipelineId));
  const executions = new Map<string, Set<string> | "all">();
  for (const e of events) {
    const seen = executions.get(e.pipelineId);
    if (e.executionId === null || seen === "all") executions.set(e.pipelineId, "all");
    else executions.set(e.pipelineId, (seen ?? new Set()).add(e.executionId));
  }
  const repository = scope.repository ? pipelineKeys.repository(scope.repository) : null;
  const approvals = events.some((e) => e.entity === "approval");
  return ({ queryKey, state }) => {
    if (startsWith(queryKey, approvalKeys.all))
      return (
        approvals ||
        (startsWith(queryKey, approvalKeys.details()) && [...pipelines].some((id) => approvalOf(state.data, id)))
      );
    if (startsWith(queryKey, pipelineKeys.overviews())) return true;
    if (startsWith(queryKey, pipelineKeys.repositories()))
      return (
        (repository !== null && startsWith(queryKey, repository)) ||
        [...pipelines].some((id) => listsPipeline(state.data, id))
      );
    for (const id of pipelines) {
      if (startsWith(queryKey, pipelineKeys.executions(id))) {
        const named = executions.get(id);
        return named === "all" || (named !== undefined && named.has(queryKey[4] as string));
      }
      if (startsWith(queryKey, pipelineKeys.pipeline(id))) return true;
    }
    return false;
  };
}

/**
 * Refetches the active queries a change touches. A refetch already under way is not cancelled (a busy
 * fleet would never let one finish), but it may have read before the change: those queries are fetched
 * once more after it, so the last change is never left off screen.
 */
export async function refetchTouched(client: QueryClient, predicate: (query: Query) => boolean): Promise<void> {
  const inFlight = client.getQueryCache().findAll({ predicate, fetchStatus: "fetching" });
  await client.invalidateQueries({ predicate }, { cancelRefetch: false });
  if (inFlight.length > 0)
    await client.invalidateQueries({ predicate: (query) => inFlight.includes(query) }, { cancelRefetch: false });
}
