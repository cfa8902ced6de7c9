// Wording of AWS ValidationException messages, e.g.
// "Value 'x' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: …"
// joined as "2 validation errors detected: …; …".
import type { Rule } from "./constraints";

/** Renders a value the way the service echoes it (Java toString style). */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${k}=${renderValue(v)}`);
    return `{${entries.join(", ")}}`;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}

export function violation(value: unknown, path: string, constraint: string): string {
  const shown = value === null || value === undefined ? "Value null" : `Value '${renderValue(value)}'`;
  const where = path === "" ? "" : ` at '${path}'`;
  return `${shown}${where} failed to satisfy constraint: ${constraint}`;
}

export const notNull = "Member must not be null";

export const lengthAtMost = (max: number): string => `Member must have length less than or equal to ${max}`;
export const lengthAtLeast = (min: number): string => `Member must have length greater than or equal to ${min}`;
export const valueAtMost = (max: number): string => `Member must have value less than or equal to ${max}`;
export const valueAtLeast = (min: number): string => `Member must have value greater than or equal to ${min}`;
export const matchesPattern = (pattern: string): string => `Member must satisfy regular expression pattern: ${pattern}`;
export const inEnum = (values: readonly string[]): string =>
  `Member must satisfy enum value set: [${values.join(", ")}]`;
export const ofType = (type: string): string => `Member must be of type ${type}`;

/** Every constraint of an element rule, as listed inside "Member must satisfy constraint: [...]". */
export function describeRule(rule: Rule, numeric: boolean): string {
  const parts: string[] = [];
  if (rule.max !== undefined) parts.push(numeric ? valueAtMost(rule.max) : lengthAtMost(rule.max));
  if (rule.min !== undefined) parts.push(numeric ? valueAtLeast(rule.min) : lengthAtLeast(rule.min));
  if (rule.pattern !== undefined) parts.push(matchesPattern(rule.pattern));
  if (rule.enum !== undefined) parts.push(inEnum(rule.enum));
  return `[${parts.join(", ")}]`;
}

export function summarize(errors: readonly string[]): string | undefined {
  if (errors.length === 0) return undefined;
  const noun = errors.length === 1 ? "error" : "errors";
  return `${errors.length} validation ${noun} detected: ${errors.join("; ")}`;
}
