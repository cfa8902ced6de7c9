import type { IncomingMessage } from "node:http";

const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a JSON body; `undefined` means the text was not JSON at all. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Form or JSON body flattened to string fields, the way OAuth endpoints read parameters. */
export function parseParams(text: string, contentType: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  if (contentType?.toLowerCase().includes("application/json")) {
    const parsed = parseJson(text);
    if (isJsonObject(parsed)) {
      for (const [name, value] of Object.entries(parsed)) {
        if (typeof value === "string" || typeof value === "number") params.set(name, String(value));
      }
    }
    return params;
  }
  for (const [name, value] of new URLSearchParams(text)) params.set(name, value);
  return params;
}
