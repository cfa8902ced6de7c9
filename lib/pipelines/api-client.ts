import { ApiClientError, requestJson, type JsonEnvelope } from "@/lib/http/request-json";
import type { ChangeScope, HistoryFilters, OverviewFilters } from "./schemas";

export { ApiClientError };

// The fields the dashboard's reads hold as Date (lib/server/pipelines/*): JSON carries them as ISO text, and
// they are revived by name, only when the text is exactly an ISO instant, so the views get what the server
// render gave them. Nothing else is touched: a commit message that looks like a date stays text.
const DATE_FIELDS = new Set([
  "stateFetchedAt",
  "targetLastSuccessAt",
  "startTime",
  "lastUpdateTime",
  "completedAt",
  "endTime",
  "latestStartTime",
]);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function reviveDates(key: string, value: unknown): unknown {
  return typeof value === "string" && DATE_FIELDS.has(key) && ISO_INSTANT.test(value) ? new Date(value) : value;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await getEnvelope<T, unknown>(path, signal)).data;
}

function getEnvelope<T, M>(path: string, signal?: AbortSignal): Promise<JsonEnvelope<T, M>> {
  return requestJson<T, M>(path, { signal }, reviveDates);
}

/** GET /api/changes: the token that moves whenever the data behind the page may have changed. */
export function fetchChangeToken(scope: ChangeScope, signal?: AbortSignal): Promise<{ token: string }> {
  const params = new URLSearchParams();
  if (scope.pipeline) params.set("pipeline", scope.pipeline);
  if (scope.repository) params.set("repository", scope.repository);
  const query = params.toString();
  return getJson(`/api/changes${query ? `?${query}` : ""}`, signal);
}

const query = (entries: Record<string, string | undefined | null>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
};

/** GET /api/pipelines: the overview for these filters. */
export function fetchOverview<T>(filters: OverviewFilters, signal?: AbortSignal): Promise<T> {
  return getJson(
    `/api/pipelines${query({ q: filters.q, status: filters.status, page: filters.page ? String(filters.page) : undefined })}`,
    signal,
  );
}

/** GET /api/repositories/:owner/:name */
export function fetchRepository<T>(fullName: string, signal?: AbortSignal): Promise<T> {
  const [owner = "", name = ""] = fullName.split("/");
  return getJson(`/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, signal);
}

/** GET /api/pipelines/:id (as `execution` ran, when given) */
export function fetchPipeline<T>(id: string, execution: string | null, signal?: AbortSignal): Promise<T> {
  return getJson(`/api/pipelines/${encodeURIComponent(id)}${query({ execution })}`, signal);
}

/** GET /api/pipelines/:id/executions/:executionId */
export function fetchExecution<T>(id: string, executionId: string, signal?: AbortSignal): Promise<T> {
  return getJson(`/api/pipelines/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`, signal);
}

/** GET /api/pipelines/:id/executions: one history page (items, the next page's cursor, the pipeline). */
export async function fetchHistory<Item, Pipeline>(
  id: string,
  filters: HistoryFilters,
  signal?: AbortSignal,
): Promise<{ items: Item[]; nextCursor: string | null; pipeline: Pipeline }> {
  const { status, branch, trigger, commit, cursor } = filters;
  const { data, meta } = await getEnvelope<Item[], { nextCursor: string | null; pipeline: Pipeline }>(
    `/api/pipelines/${encodeURIComponent(id)}/executions${query({ status, branch, trigger, commit, cursor })}`,
    signal,
  );
  return { items: data, nextCursor: meta.nextCursor, pipeline: meta.pipeline };
}
