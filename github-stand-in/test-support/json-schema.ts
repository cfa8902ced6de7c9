// A small validator for the OpenAPI 3.0 schema dialect GitHub's description uses. It knows exactly the
// keywords that description needs and refuses any other, so an unsupported rule can never pass silently.

export type Schema = Record<string, unknown>;
export type Resolve = (ref: string) => Schema;

const ANNOTATIONS = new Set([
  "description",
  "title",
  "example",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "discriminator",
  "externalDocs",
  "x-github-breaking-changes",
  "x-octokit",
]);
const KNOWN = new Set([
  "$ref",
  "type",
  "nullable",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "oneOf",
  "anyOf",
  "allOf",
  "maxLength",
  "minLength",
  "minimum",
  "maximum",
  "format",
  "pattern",
  "minItems",
  "maxItems",
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case undefined:
      return true;
    default:
      throw new Error(`unsupported type ${String(type)}`);
  }
}

function formatError(format: unknown, value: string): string | null {
  if (format === "date-time")
    return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? null : "is not a date-time";
  if (format === "email") return EMAIL.test(value) ? null : "is not an email";
  if (format === "uri") {
    try {
      new URL(value);
      return null;
    } catch {
      return "is not a URI";
    }
  }
  return null; // int64 and friends only describe numbers' ranges
}

/** Returns every violation as "path: problem"; an empty list means the value conforms. */
export function validate(schema: Schema, value: unknown, resolve: Resolve, path = "$"): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword) && !ANNOTATIONS.has(keyword) && !keyword.startsWith("x-")) {
      throw new Error(`unsupported schema keyword "${keyword}" at ${path}`);
    }
  }
  if (typeof schema.$ref === "string") return validate(resolve(schema.$ref), value, resolve, path);
  if (value === null) return schema.nullable === true ? [] : [`${path}: is null but not nullable`];

  const errors: string[] = [];
  if (!typeMatches(schema.type, value))
    return [`${path}: expected ${String(schema.type)}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);

  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${path}: does not match ${schema.pattern}`);
    const problem = formatError(schema.format, value);
    if (problem) errors.push(`${path}: ${JSON.stringify(value)} ${problem}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    if (isObject(schema.items))
      value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, resolve, `${path}[${i}]`)));
  }
  if (isObject(value)) errors.push(...validateObject(schema, value, resolve, path));

  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf as Schema[]) errors.push(...validate(part, value, resolve, path));
  if (Array.isArray(schema.anyOf)) {
    const results = (schema.anyOf as Schema[]).map((part) => validate(part, value, resolve, path));
    if (!results.some((r) => r.length === 0))
      errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join(" | ")})`);
  }
  if (Array.isArray(schema.oneOf)) {
    const results = (schema.oneOf as Schema[]).map((part) => validate(part, value, resolve, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing !== 1)
      errors.push(
        `${path}: matches ${passing} of oneOf, needs exactly 1 (${results.map((r) => r[0] ?? "ok").join(" | ")})`,
      );
  }
  return errors;
}

function validateObject(schema: Schema, value: Record<string, unknown>, resolve: Resolve, path: string): string[] {
  const errors: string[] = [];
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required as string[])
      if (!(name in value)) errors.push(`${path}: missing required "${name}"`);
  }
  for (const [name, item] of Object.entries(value)) {
    const own = properties[name];
    if (own) errors.push(...validate(own, item, resolve, `${path}.${name}`));
    else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${name}"`);
    else if (isObject(schema.additionalProperties))
      errors.push(...validate(schema.additionalProperties, item, resolve, `${path}.${name}`));
  }
  return errors;
}
