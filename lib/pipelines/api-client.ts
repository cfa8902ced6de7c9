import type { ChangeScope } from "./schemas";

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, cache: "no-store", headers: { accept: "application/json" } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiClientError(
      response.status,
      error?.code ?? "unknown",
      error?.message ?? `Request failed (${response.status})`,
    );
  }
  return (body as { data: T }).data;
}

/** GET /api/changes: the token that moves whenever the data behind the page may have changed. */
export function fetchChangeToken(scope: ChangeScope, signal?: AbortSignal): Promise<{ token: string }> {
  const params = new URLSearchParams();
  if (scope.pipeline) params.set("pipeline", scope.pipeline);
  if (scope.repository) params.set("repository", scope.repository);
  const query = params.toString();
  return getJson(`/api/changes${query ? `?${query}` : ""}`, signal);
}
