import { describe, expect, it } from "vitest";
import { approvalsProgress, commitAuthor, decisionLine, expiryFact } from "./approval-text";
import type { ApprovalCommit } from "./contract";

const commit = (over: Partial<ApprovalCommit>): ApprovalCommit => ({
  sha: "0123456789abcdef0123456789abcdef01234567",
  message: "Fix the thing",
  url: "https://github.com/acme/web-app/commit/0123456789abcdef0123456789abcdef01234567",
  authorLogin: null,
  authorName: null,
  ...over,
});

describe("commitAuthor", () => {
  it("links a linked login to its profile on the commit's GitHub", () => {
    expect(commitAuthor(commit({ authorLogin: "ada", authorName: "Ada Lovelace" }))).toEqual({
      kind: "login",
      login: "ada",
      href: "https://github.com/ada",
    });
    expect(
      commitAuthor(commit({ authorLogin: "ada", url: "https://ghe.example.com/acme/web/commit/0123456" })),
    ).toMatchObject({ href: "https://ghe.example.com/ada" });
    expect(commitAuthor(commit({ authorLogin: "ada", url: "javascript:alert(1)" }))).toMatchObject({ href: null });
  });

  it("shows an author without a GitHub account by name only, and refuses a login of the wrong shape", () => {
    expect(commitAuthor(commit({ authorName: " Mallory " }))).toEqual({ kind: "unlinked", name: "Mallory" });
    expect(commitAuthor(commit({ authorLogin: "../admin", authorName: "Eve" }))).toEqual({
      kind: "unlinked",
      name: "Eve",
    });
    expect(commitAuthor(commit({}))).toEqual({ kind: "unknown" });
  });
});

describe("approval text", () => {
  it("counts approvals only where several are needed", () => {
    const vote = (decision: "approve" | "reject") => ({ login: "a", name: null, decision, comment: "", at: "" });
    expect(approvalsProgress({ requiredApprovals: 1, votes: [] })).toBeNull();
    expect(approvalsProgress({ requiredApprovals: 2, votes: [vote("approve")] })).toBe("1 of 2 approvals");
  });

  it("names who decided, from Stageboard or from the console", () => {
    expect(decisionLine({ status: "Pending", decidedBy: null })).toBeNull();
    expect(decisionLine({ status: "Approved", decidedBy: "@ada" })).toBe("Approved by @ada");
    expect(decisionLine({ status: "Expired", decidedBy: null })).toBe("Expired");
  });

  it("names nobody for an expiry, even one stored with an identity", () => {
    expect(decisionLine({ status: "Expired", decidedBy: "arn:aws:iam::111122223333:user/grace" })).toBe("Expired");
    expect(decisionLine({ status: "Rejected", decidedBy: null })).toBe("Rejected");
  });

  it("counts down while pending, and says when an expired approval expired", () => {
    const expiresAt = "2026-12-01T12:00:00.000Z";
    expect(expiryFact({ status: "Pending", expiresAt, decidedAt: null })).toEqual({
      term: "Expires",
      at: expiresAt,
      countdown: true,
    });
    // The end AWS reported, else (an expiry seen before AWS reported it) the computed one.
    expect(expiryFact({ status: "Expired", expiresAt, decidedAt: "2026-12-01T12:00:04.000Z" })).toEqual({
      term: "Expired at",
      at: "2026-12-01T12:00:04.000Z",
      countdown: false,
    });
    expect(expiryFact({ status: "Expired", expiresAt, decidedAt: null })).toMatchObject({
      term: "Expired at",
      at: expiresAt,
    });
    expect(expiryFact({ status: "Approved", expiresAt, decidedAt: "2026-12-01T11:00:00.000Z" })).toEqual({
      term: "Expires",
      at: expiresAt,
      countdown: false,
    });
  });
});
