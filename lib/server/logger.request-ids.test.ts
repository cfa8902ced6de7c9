import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { requestIdsFrom, sanitizeClientRequestId } from "@/lib/server/logger";

describe("request ids", () => {
  it("keeps a client's id only when it is short, printable and plain", () => {
    expect(sanitizeClientRequestId("trace-1.2:abc_DEF")).toBe("trace-1.2:abc_DEF");
    expect(sanitizeClientRequestId(`  ${"a".repeat(100)} `)).toBe("a".repeat(64));
    for (const raw of [null, undefined, "", "   ", "has space", "<script>", "line\u2028break", "ümlaut", '{"json":1}'])
      expect(sanitizeClientRequestId(raw)).toBeUndefined();
  });

  it("takes the proxy's UUID, and makes a fresh one for anything else (never the client's text)", () => {
    const ours = randomUUID();
    expect(requestIdsFrom(new Headers({ "x-request-id": ours }))).toEqual({ requestId: ours });
    const chosen = requestIdsFrom(new Headers({ "x-request-id": "chosen", "x-client-request-id": "their-id" }));
    expect(chosen.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(chosen.requestId).not.toBe("chosen");
    expect(chosen.clientRequestId).toBe("their-id");
    expect(requestIdsFrom(new Headers()).requestId).not.toBe(requestIdsFrom(new Headers()).requestId);
  });
});
