// Small guards for strings that come from AWS: untrusted, so bounded and typed before they reach Postgres.
import "server-only";

/** Trimmed to a sane length; null when absent or not a string. */
export function str(value: unknown, max = 4096): string | null {
  if (typeof value !== "string") return null;
  return value.length > max ? value.slice(0, max) : value;
}

export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function date(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

export function stringMap(value: unknown, maxEntries = 200): Record<string, string> | null {
  if (!value || typeof value !== "object") return null;
  const out: Record<string, string> = {};
  let count = 0;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string" || ++count > maxEntries) continue;
    out[key.slice(0, 200)] = v.slice(0, 4096);
  }
  return out;
}
