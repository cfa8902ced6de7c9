// Webhook payloads are untrusted JSON: a field is read only through an object, so a payload of another shape yields
// undefined rather than a throw or a value from an array or a string.

/** `value[key]` when `value` is a plain JSON object, else undefined. */
export const field = (value: unknown, key: string): unknown =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
