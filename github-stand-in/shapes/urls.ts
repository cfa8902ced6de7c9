/** The stand-in serves its REST API under /api/v3, exactly like GitHub Enterprise Server. */
export const API_PREFIX = "/api/v3";

/** Fixed so responses are reproducible; the world has no history to report. */
export const WORLD_CREATED_AT = "2024-01-15T09:00:00Z";

export function apiUrl(base: string, path: string): string {
  return `${base}${API_PREFIX}${path}`;
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind.length.toString().padStart(2, "0")}:${kind}${id}`).toString("base64");
}

export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
