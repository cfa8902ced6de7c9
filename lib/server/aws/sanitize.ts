// Pipeline declarations can carry credentials (GitHub v1 `OAuthToken`, masked by AWS but still a secret
// field) and action configuration written by people. Anything whose key looks secret is dropped before storing.

const SECRET_KEY = /token|secret|passw|credential|api[-_]?key|private[-_]?key/i;

export function looksSecret(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Configuration map without secret-looking keys; CodeBuild's JSON `EnvironmentVariables` loses secret-looking values. */
export function sanitizeConfiguration(
  config: Record<string, string> | undefined | null,
): Record<string, string> | null {
  if (!config) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (looksSecret(key)) continue;
    out[key] = key === "EnvironmentVariables" ? sanitizeEnvironmentJson(value) : value;
  }
  return out;
}

function sanitizeEnvironmentJson(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return "[]";
    const cleaned = parsed.map((entry: unknown) => {
      if (!entry || typeof entry !== "object") return entry;
      const record = entry as Record<string, unknown>;
      const name = typeof record.name === "string" ? record.name : "";
      return looksSecret(name) && record.type !== "SECRETS_MANAGER" && record.type !== "PARAMETER_STORE"
        ? { ...record, value: "[redacted]" }
        : record;
    });
    return JSON.stringify(cleaned);
  } catch {
    return "[]";
  }
}

/** Deep copy of a declaration with every secret-looking key removed (configuration maps included). */
export function sanitizeDeclaration(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (Array.isArray(value)) return value.map((item) => sanitizeDeclaration(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "configuration" && child && typeof child === "object") {
      out[key] = sanitizeConfiguration(child as Record<string, string>);
    } else if (!looksSecret(key)) {
      out[key] = sanitizeDeclaration(child, depth + 1);
    }
  }
  return out;
}
