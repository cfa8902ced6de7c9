import "server-only";
import { MASKED, maskValue, nameLooksSecret, valueLooksSecret } from "@/lib/server/secrets/mask";

// Pipeline declarations can carry credentials (GitHub v1 `OAuthToken`, masked by AWS but still a secret
// field), variables' default values and action configuration written by people. What looks secret by
// the one rule of lib/server/secrets/mask.ts is removed before storing: a secret-named key is dropped,
// a secret-looking value (or a variable's value under a secret name) becomes MASKED.

/** Configuration map without secret-looking keys or values; CodeBuild's JSON `EnvironmentVariables` masks its values. */
export function sanitizeConfiguration(
  config: Record<string, string> | undefined | null,
): Record<string, string> | null {
  if (!config) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (nameLooksSecret(key)) continue;
    if (typeof value !== "string") continue;
    out[key] = key === "EnvironmentVariables" ? sanitizeEnvironmentJson(value) : maskString(value);
  }
  return out;
}

const maskString = (value: string) => (valueLooksSecret(value) ? MASKED : value);

function sanitizeEnvironmentJson(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return "[]";
    const cleaned = parsed.map((entry: unknown) => {
      if (!entry || typeof entry !== "object") return entry;
      const record = entry as Record<string, unknown>;
      // SECRETS_MANAGER and PARAMETER_STORE values are references (a secret's name), not the secret.
      if (typeof record.value !== "string" || record.type === "SECRETS_MANAGER" || record.type === "PARAMETER_STORE")
        return record;
      const name = typeof record.name === "string" ? record.name : "";
      return { ...record, value: maskValue(name, record.value) };
    });
    return JSON.stringify(cleaned);
  } catch {
    return "[]";
  }
}

/** Declared pipeline variables (`{ name, defaultValue, description }`) with secret defaults masked. */
export function sanitizeVariableDeclarations(value: unknown, depth = 0): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown) => {
    const clean = sanitizeDeclaration(item, depth + 1);
    if (!clean || typeof clean !== "object" || Array.isArray(clean)) return clean;
    const variable = clean as Record<string, unknown>;
    const name = typeof variable.name === "string" ? variable.name : "";
    return typeof variable.defaultValue === "string"
      ? { ...variable, defaultValue: maskValue(name, variable.defaultValue) }
      : variable;
  });
}

/** Deep copy of a declaration with every secret-looking key removed and secret-looking values masked. */
export function sanitizeDeclaration(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (Array.isArray(value)) return value.map((item) => sanitizeDeclaration(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return maskString(value);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "configuration" && child && typeof child === "object") {
      out[key] = sanitizeConfiguration(child as Record<string, string>);
    } else if (key === "variables" && Array.isArray(child)) {
      out[key] = sanitizeVariableDeclarations(child, depth + 1);
    } else if (!nameLooksSecret(key)) {
      out[key] = sanitizeDeclaration(child, depth + 1);
    }
  }
  return out;
}
