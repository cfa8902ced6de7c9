import { describe, expect, it } from "vitest";
import { discardBody, readBodyCapped } from "./read-body";

/** A body that arrives in the given chunks, remembering whether the reader cancelled it. */
function streamOf(chunks: Uint8Array[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("readBodyCapped", () => {
  it("reads a body in chunks whose length nobody declared", async () => {
    const { body } = streamOf([bytes('{"a":'), bytes('"é"}')]);
    expect(await readBodyCapped({ body, declaredLength: null, maxBytes: 100 })).toEqual({
      kind: "ok",
      text: '{"a":"é"}',
    });
  });

  it("stops reading once more bytes arrive than the cap, whatever content-length claimed", async () => {
    const source = streamOf([bytes("12345"), bytes("67890"), bytes("never read")]);
    expect(await readBodyCapped({ body: source.body, declaredLength: "3", maxBytes: 8 })).toEqual({
      kind: "too_large",
    });
    expect(source.cancelled()).toBe(true);
  });

  it("refuses a declared length above the cap before reading anything", async () => {
    const source = streamOf([bytes("x")]);
    expect(await readBodyCapped({ body: source.body, declaredLength: "9", maxBytes: 8 })).toEqual({
      kind: "too_large",
    });
    expect(source.cancelled()).toBe(true);
  });

  it("says a body that is not UTF-8 is unreadable", async () => {
    const { body } = streamOf([new Uint8Array([0x7b, 0xff, 0x7d])]);
    expect(await readBodyCapped({ body, declaredLength: null, maxBytes: 8 })).toEqual({ kind: "unreadable" });
  });

  it("holds a string body to the same cap, counted in bytes", async () => {
    expect(await readBodyCapped({ body: "ééé", declaredLength: null, maxBytes: 6 })).toEqual({
      kind: "ok",
      text: "ééé",
    });
    expect(await readBodyCapped({ body: "éééé", declaredLength: null, maxBytes: 6 })).toEqual({ kind: "too_large" });
    expect(await readBodyCapped({ body: null, declaredLength: null, maxBytes: 6 })).toEqual({ kind: "ok", text: "" });
  });
});

describe("discardBody", () => {
  it("cancels a stream and leaves strings and missing bodies alone", async () => {
    const source = streamOf([bytes("x")]);
    await discardBody(source.body);
    expect(source.cancelled()).toBe(true);
    await expect(discardBody("text")).resolves.toBeUndefined();
    await expect(discardBody(null)).resolves.toBeUndefined();
  });
});
