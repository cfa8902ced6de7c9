import { describe, expect, it } from "vitest";
import { settleApproval, settledApprovalStatus, type ApprovalActionResult } from "./approval-settlement";

const expiresAt = new Date("2026-12-01T12:00:00Z");
const minutes = (n: number) => new Date(expiresAt.getTime() + n * 60_000);
const SANDBOX_EXPIRY = "The approval request expired before it received a response.";

const action = (over: Partial<ApprovalActionResult>): ApprovalActionResult => ({
  status: "Failed",
  errorCode: "JobFailed",
  errorMessage: null,
  updatedBy: null,
  lastUpdateTime: minutes(-120),
  externalExecutionSummary: null,
  ...over,
});

describe("settledApprovalStatus", () => {
  it("an approval action that succeeded was approved", () => {
    expect(
      settledApprovalStatus(action({ status: "Succeeded", updatedBy: "arn:aws:iam::1:user/ada" }), expiresAt),
    ).toBe("Approved");
  });

  it("a failed one nobody answered expired when its error says so, even before the time we computed", () => {
    expect(settledApprovalStatus(action({ errorMessage: SANDBOX_EXPIRY }), expiresAt)).toBe("Expired");
    expect(settledApprovalStatus(action({ errorMessage: "Approval timed out" }), null)).toBe("Expired");
    expect(settledApprovalStatus(action({ errorCode: "ApprovalTimeout", errorMessage: null }), null)).toBe("Expired");
  });

  it("a failed one nobody answered expired when it ended at or after its expiry, a minute of skew allowed", () => {
    expect(settledApprovalStatus(action({ lastUpdateTime: minutes(0) }), expiresAt)).toBe("Expired");
    expect(settledApprovalStatus(action({ lastUpdateTime: minutes(3) }), expiresAt)).toBe("Expired");
    expect(settledApprovalStatus(action({ lastUpdateTime: minutes(-1) }), expiresAt)).toBe("Expired");
    expect(settledApprovalStatus(action({ lastUpdateTime: minutes(-2) }), expiresAt)).toBe("Rejected");
  });

  it("a failed one that ended early without words of expiry was rejected, named or not", () => {
    expect(settledApprovalStatus(action({ errorMessage: "Rejected: not today" }), expiresAt)).toBe("Rejected");
    expect(settledApprovalStatus(action({ lastUpdateTime: null }), expiresAt)).toBe("Rejected");
    expect(settledApprovalStatus(action({ lastUpdateTime: minutes(10) }), null)).toBe("Rejected");
  });

  it("a failed one someone answered was rejected, whatever words the reviewer used", () => {
    const answered = action({
      updatedBy: "arn:aws:iam::111122223333:user/grace",
      errorMessage: "Rejected: the change request expired, and the deploy timed out",
      lastUpdateTime: minutes(0),
    });
    expect(settledApprovalStatus(answered, expiresAt)).toBe("Rejected");
    // An empty identity is nobody.
    expect(settledApprovalStatus({ ...answered, updatedBy: " " }, expiresAt)).toBe("Expired");
  });

  it("keeps any other final status as AWS reported it", () => {
    expect(settledApprovalStatus(action({ status: "Abandoned", errorMessage: SANDBOX_EXPIRY }), expiresAt)).toBe(
      "Abandoned",
    );
  });
});

describe("settleApproval", () => {
  const now = minutes(30);

  it("stores an expiry as Expired when it ended, decided by nobody", () => {
    expect(
      settleApproval({ action: action({ errorMessage: SANDBOX_EXPIRY, lastUpdateTime: minutes(0) }), expiresAt, now }),
    ).toEqual({ kind: "settle", status: "Expired", decidedAt: minutes(0), decidedBy: null, summary: null });
  });

  it("stores a decision with who made it, when and what they said", () => {
    const grace = "arn:aws:iam::111122223333:user/grace";
    expect(
      settleApproval({
        action: action({
          updatedBy: grace,
          externalExecutionSummary: "not today",
          errorMessage: "Rejected: not today",
        }),
        expiresAt,
        now,
      }),
    ).toEqual({ kind: "settle", status: "Rejected", decidedAt: minutes(-120), decidedBy: grace, summary: "not today" });
    expect(
      settleApproval({
        action: action({ status: "Succeeded", updatedBy: grace, lastUpdateTime: null }),
        expiresAt,
        now,
      }),
    ).toMatchObject({ status: "Approved", decidedAt: now, decidedBy: grace });
  });

  it("an expiry without an end time ended at its expiry", () => {
    expect(
      settleApproval({ action: action({ errorMessage: SANDBOX_EXPIRY, lastUpdateTime: null }), expiresAt, now }),
    ).toMatchObject({ status: "Expired", decidedAt: expiresAt });
  });

  it("without a finished action it waits, until its time ran out", () => {
    expect(settleApproval({ action: null, expiresAt, now: minutes(-1) })).toEqual({ kind: "wait" });
    expect(settleApproval({ action: action({ status: "InProgress" }), expiresAt, now: minutes(-1) })).toEqual({
      kind: "wait",
    });
    expect(settleApproval({ action: null, expiresAt: null, now })).toEqual({ kind: "wait" });
    expect(settleApproval({ action: action({ status: "InProgress" }), expiresAt, now })).toEqual({
      kind: "settle",
      status: "Expired",
      decidedAt: expiresAt,
      decidedBy: null,
      summary: null,
    });
  });
});
