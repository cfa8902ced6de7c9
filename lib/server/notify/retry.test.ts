import { describe, expect, it } from "vitest";
import { afterAttempt, MAX_ATTEMPTS, RETRY_DELAYS_MS } from "@/lib/server/notify/retry";

const now = new Date("2026-12-01T10:00:00Z");
const answered = (status: number) => ({ kind: "answered" as const, status, excerpt: "", durationMs: 5 });

describe("after an attempt", () => {
  it("2xx is delivered", () => {
    expect(afterAttempt(1, answered(200), now)).toEqual({ kind: "delivered" });
    expect(afterAttempt(3, answered(204), now)).toEqual({ kind: "delivered" });
  });

  it("5xx, 408, 429 and no answer are tried again, 5 attempts over about 30 minutes", () => {
    for (const result of [answered(500), answered(503), answered(408), answered(429)])
      expect(afterAttempt(1, result, now)).toMatchObject({ kind: "retry", at: new Date(now.getTime() + 30_000) });
    const timeout = { kind: "failed" as const, error: "No answer within 10 s", durationMs: 10_000, refused: false };
    expect(afterAttempt(2, timeout, now)).toMatchObject({ kind: "retry", error: "No answer within 10 s" });
    expect(MAX_ATTEMPTS).toBe(5);
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(25 * 60_000);
    expect(total).toBeLessThanOrEqual(35 * 60_000);
    expect(afterAttempt(MAX_ATTEMPTS, answered(500), now)).toMatchObject({ kind: "give-up", error: "HTTP 500" });
  });

  it("other 4xx, redirects and refused URLs are not retried", () => {
    expect(afterAttempt(1, { ...answered(400), excerpt: "invalid_payload" }, now)).toEqual({
      kind: "give-up",
      error: "HTTP 400: invalid_payload",
    });
    expect(afterAttempt(1, answered(404), now)).toMatchObject({ kind: "give-up" });
    expect(afterAttempt(1, answered(302), now)).toMatchObject({ kind: "give-up", error: /redirects are not followed/ });
    const refused = { kind: "failed" as const, error: "Not sent: x", durationMs: 0, refused: true };
    expect(afterAttempt(1, refused, now)).toMatchObject({ kind: "give-up" });
  });
});
