// The browser's one way to call Stageboard's JSON routes: same origin, never cached, the `{ data, meta }`
// envelope on success and the `{ error: { code, message } }` body turned into an ApiClientError otherwise.

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

export type JsonEnvelope<T, M = unknown> = { data: T; meta: M };

export async function requestJson<T, M = unknown>(
  path: string,
  init: RequestInit = {},
  reviver?: (key: string, value: unknown) => unknown,
): Promise<JsonEnvelope<T, M>> {
  const response = await fetch(path, {
    ...init,
    cache: "no-store",
    credentials: "same-origin",
    headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
  });
  const body: unknown = await response
    .text()
    .then((text) => JSON.parse(text, reviver) as unknown)
    .catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiClientError(
      response.status,
      error?.code ?? "unknown",
      error?.message ?? `Request failed (${response.status})`,
    );
  }
  return body as JsonEnvelope<T, M>;
}
