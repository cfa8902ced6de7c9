import "server-only";

// Reads an untrusted request body up to a byte cap, counting the bytes that actually arrive: a missing
// content-length (chunked) or one that lies cannot make the server hold more than `maxBytes`. Tests and other
// callers without a stream pass the body as a string, which is held to the same cap.

/** A request body as a route receives it (a stream) or as a test passes it (a string). */
export type RequestBody = ReadableStream<Uint8Array> | string | null;

/** Tells the server to stop receiving a body that will not be read (the answer is still sent). */
export async function discardBody(body: RequestBody): Promise<void> {
  if (body && typeof body !== "string") await body.cancel().catch(() => {});
}

export type BodyRead =
  | { kind: "ok"; text: string }
  | { kind: "too_large" }
  /** Not UTF-8, or the stream failed (the client went away). */
  | { kind: "unreadable" };

export async function readBodyCapped(input: {
  body: RequestBody;
  /** The content-length header, if any: only ever a reason to refuse early, never trusted as the size. */
  declaredLength: string | null;
  maxBytes: number;
}): Promise<BodyRead> {
  const { body, maxBytes } = input;
  if (typeof body === "string")
    return Buffer.byteLength(body) > maxBytes ? { kind: "too_large" } : { kind: "ok", text: body };
  const declared = input.declaredLength === null ? NaN : Number(input.declaredLength);
  if (declared > maxBytes) {
    await discardBody(body);
    return { kind: "too_large" };
  }
  if (!body) return { kind: "ok", text: "" };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { kind: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    await reader.cancel().catch(() => {});
    return { kind: "unreadable" };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { kind: "ok", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { kind: "unreadable" };
  }
}
