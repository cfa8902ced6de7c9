import "server-only";

// What an Octokit request error says, read without trusting its shape (RequestError carries `status` and the
// `request` it was for; a network failure or a timeout carries neither).

export function failureStatus(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const status: unknown = Reflect.get(error, "status");
  return typeof status === "number" ? status : null;
}

export function failureUrl(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const request: unknown = Reflect.get(error, "request");
  if (typeof request !== "object" || request === null) return null;
  const url: unknown = Reflect.get(request, "url");
  return typeof url === "string" ? url : null;
}
