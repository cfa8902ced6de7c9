import type { ChangeScope, HistoryFilters, OverviewFilters } from "./schemas";

export const changeKeys = {
  all: ["changes"] as const,
  detail: (scope: ChangeScope) => [...changeKeys.all, scope.pipeline ?? null, scope.repository ?? null] as const,
};

/**
 * What the dashboard's pages show, one key per part a change can touch: a live event invalidates the
 * pipeline's detail, its execution, its history and the lists that hold it (lib/pipelines/live-invalidation.ts).
 */
export const pipelineKeys = {
  all: ["pipelines"] as const,
  lists: () => [...pipelineKeys.all, "list"] as const,
  overviews: () => [...pipelineKeys.lists(), "overview"] as const,
  overview: (filters: OverviewFilters) => [...pipelineKeys.overviews(), filters] as const,
  repositories: () => [...pipelineKeys.lists(), "repository"] as const,
  repository: (fullName: string) => [...pipelineKeys.repositories(), fullName.toLowerCase()] as const,
  pipeline: (id: string) => [...pipelineKeys.all, "pipeline", id] as const,
  detail: (id: string, execution: string | null) => [...pipelineKeys.pipeline(id), "detail", execution] as const,
  histories: (id: string) => [...pipelineKeys.pipeline(id), "history"] as const,
  history: (id: string, filters: HistoryFilters) => [...pipelineKeys.histories(id), filters] as const,
  executions: (id: string) => [...pipelineKeys.pipeline(id), "execution"] as const,
  execution: (id: string, executionId: string) => [...pipelineKeys.executions(id), executionId] as const,
};
