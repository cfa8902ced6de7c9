import { describe, expect, it } from "vitest";
import { classifyFailure } from "@/lib/server/writeback/classify-failure";
import {
  decideAfterSend,
  decideWithoutClient,
  WRITEBACK_MAX_ATTEMPTS,
  WRITEBACK_SCHEDULE,
} from "@/lib/server/writeback/job-outcome";

const now = new Date("2026-12-01T10:00:00Z");
/** An error shaped as Octokit's RequestError: a status, and the response when GitHub answered. */
const answered = (status: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });
const unanswered = (message: string) => Object.assign(new Error(message), { status: 500 });
const failed = (error: unknown) => ({
  kind: "failed" as const,
  failure: classifyFailure(error, now),
  remoteId: null,
  writes: 0,
});

describe("what a failed GitHub request means", () => {
  it("no answer, a timeout or a 5xx: GitHub may have done it", () => {
    expect(classifyFailure(unanswered("socket hang up"), now)).toEqual({
      kind: "no-answer",
      status: null,
      message: "socket hang up",
    });
    expect(classifyFailure(answered(502, "Bad Gateway"), now)).toMatchObject({ kind: "no-answer", status: 502 });
    expect(classifyFailure(new Error("The operation was aborted due to timeout"), now)).toMatchObject({
      kind: "no-answer",
    });
  });

  it("secondary and primary rate limits, with GitHub's wait", () => {
    expect(
      classifyFailure(answered(403, "You have exceeded a secondary rate limit", { "retry-after": "30" }), now),
    ).toMatchObject({ kind: "rate-limited", retryAfterMs: 30_000 });
    // Without retry-after, GitHub says to wait at least a minute.
    expect(classifyFailure(answered(429, "You have exceeded a secondary rate limit"), now)).toMatchObject({
      kind: "rate-limited",
      retryAfterMs: 60_000,
    });
    const reset = String(now.getTime() / 1000 + 120);
    expect(
      classifyFailure(
        answered(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }),
        now,
      ),
    ).toMatchObject({ kind: "rate-limited", retryAfterMs: 121_000 });
  });

  it("refusals: final for 400 and 422, worth retrying for a permission or installation", () => {
    expect(classifyFailure(answered(422, "Invalid request."), now)).toMatchObject({ kind: "refused", final: true });
    expect(classifyFailure(answered(403, "Resource not accessible by integration"), now)).toMatchObject({
      kind: "refused",
      final: false,
    });
    expect(classifyFailure(answered(404, "Not Found"), now)).toMatchObject({ kind: "not-found" });
  });
});

describe("what becomes of a job after an attempt", () => {
  it("is delivered once GitHub accepted it", () => {
    expect(decideAfterSend({ kind: "sent", remoteId: 5n, writes: 1 }, { attempts: 3, now })).toEqual({
      kind: "delivered",
      remoteId: 5n,
      writes: 1,
    });
  });

  it("backs off on the schedule, then is a dead letter with the last error", () => {
    const error = failed(answered(503, "Service Unavailable"));
    let at = now.getTime();
    for (let attempts = 1; attempts < WRITEBACK_MAX_ATTEMPTS; attempts++) {
      const decision = decideAfterSend(error, { attempts, now });
      expect(decision).toMatchObject({ kind: "retry", countsAttempt: true, statusCode: 503 });
      if (decision.kind !== "retry") return;
      expect(decision.at.getTime()).toBe(now.getTime() + (WRITEBACK_SCHEDULE.delaysMs[attempts - 1] ?? 0));
      expect(decision.at.getTime()).toBeGreaterThan(at);
      at = decision.at.getTime();
    }
    expect(decideAfterSend(error, { attempts: WRITEBACK_MAX_ATTEMPTS, now })).toEqual({
      kind: "dead",
      error: "GitHub answered 503: Service Unavailable",
      statusCode: 503,
      remoteId: null,
      writes: 0,
    });
  });

  it("is a dead letter at once when GitHub would refuse the same run again", () => {
    expect(decideAfterSend(failed(answered(422, "Invalid request.")), { attempts: 1, now })).toMatchObject({
      kind: "dead",
      statusCode: 422,
    });
  });

  it("waits as long as a rate limit asks without using up an attempt, even past the last one", () => {
    const limited = failed(answered(403, "You have exceeded a secondary rate limit", { "retry-after": "90" }));
    expect(decideAfterSend(limited, { attempts: WRITEBACK_MAX_ATTEMPTS, now })).toMatchObject({
      kind: "retry",
      at: new Date(now.getTime() + 90_000),
      countsAttempt: false,
    });
  });

  it("keeps the run it learnt of when a later step failed", () => {
    const decision = decideAfterSend(
      { kind: "failed", failure: classifyFailure(answered(500, "x"), now), remoteId: 9n, writes: 0 },
      { attempts: 1, now },
    );
    expect(decision).toMatchObject({ kind: "retry", remoteId: 9n, writes: 0 });
  });

  it("without a client: skipped when the App is not installed, waiting while there is no App, else retried", () => {
    expect(decideWithoutClient({ kind: "not-installed", message: "not installed" }, { attempts: 1, now })).toEqual({
      kind: "skipped",
      error: "not installed",
    });
    expect(decideWithoutClient({ kind: "no-app", message: "no App" }, { attempts: 9, now })).toMatchObject({
      kind: "retry",
      countsAttempt: false,
    });
    expect(decideWithoutClient({ kind: "unavailable", message: "refused" }, { attempts: 1, now })).toMatchObject({
      kind: "retry",
      countsAttempt: true,
    });
    expect(
      decideWithoutClient({ kind: "unavailable", message: "refused" }, { attempts: WRITEBACK_MAX_ATTEMPTS, now }),
    ).toMatchObject({ kind: "dead", error: "refused" });
  });
});
