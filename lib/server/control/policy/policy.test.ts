import { describe, expect, it } from "vitest";
import { instancePolicySchema } from "@/lib/config/policy";
import { approvalRight, commandRight, voteOutcome, type ApprovalRightInput } from "./evaluate";
import { DEFAULT_POLICY, effectivePolicy } from "./policy";

const ada = { githubId: 1001n, login: "ada" };
const base: ApprovalRightInput = {
  policy: DEFAULT_POLICY.approvals,
  readOnly: false,
  repository: "acme/web-app",
  permission: "write",
  viewer: ada,
  team: { kind: "unchecked" },
  startedBy: null,
  authors: { commits: [], totalCommits: 0 },
  votes: [],
  status: "Pending",
  expired: false,
  decision: "approve",
  comment: "",
};

describe("the policy", () => {
  it("takes the issue's defaults, then the instance, its repository entry, and the stored levels in order", () => {
    const instance = instancePolicySchema.parse({
      approvals: { minPermission: "maintain" },
      commands: { "retry-stage": "maintain" },
      repositories: { "Acme/Web-App": { approvals: { requiredApprovals: 2 } } },
    });
    const policy = effectivePolicy({
      instance,
      repository: "acme/web-app",
      stored: {
        repository: { approvals: { requiredTeams: ["acme/release"] } },
        pipeline: { approvals: { minPermission: "admin" } },
        stage: { approvals: { preventSelfApproval: false } },
      },
    });
    expect(policy.approvals).toEqual({
      minPermission: "admin",
      requiredTeams: ["acme/release"],
      preventSelfApproval: false,
      requiredApprovals: 2,
      requireApproveComment: false,
    });
    expect(policy.commands["retry-stage"]).toBe("maintain");
    expect(policy.commands["override-condition"]).toBe("admin");
    expect(effectivePolicy({ instance, repository: "acme/api", stored: {} }).approvals.requiredApprovals).toBe(1);
  });

  it("refuses STAGEBOARD_POLICY fields it does not know", () => {
    expect(instancePolicySchema.safeParse({ approvals: { minPermision: "write" } }).success).toBe(false);
    expect(instancePolicySchema.safeParse({ commands: { approve: "read" } }).success).toBe(false);
  });
});

describe("command rights", () => {
  it("says which permission is needed and which one the person has", () => {
    const right = (permission: "read" | "write" | "maintain" | null) =>
      commandRight({
        kind: "disable-transition",
        policy: DEFAULT_POLICY,
        permission,
        repository: "acme/web-app",
        readOnly: false,
      });
    expect(right("maintain")).toEqual({ allowed: true });
    expect(right("write")).toEqual({ allowed: false, reason: "needs maintain on acme/web-app; you have write" });
    expect(right(null)).toEqual({ allowed: false, reason: "needs maintain on acme/web-app; you have no access" });
  });

  it("allows nothing on a read-only instance", () => {
    expect(
      commandRight({
        kind: "retry-stage",
        policy: DEFAULT_POLICY,
        permission: "admin",
        repository: "a/b",
        readOnly: true,
      }),
    ).toEqual({ allowed: false, reason: "this Stageboard instance is read-only" });
  });
});

describe("approval rights", () => {
  it("allows a writer who neither started the execution nor wrote its commits", () => {
    expect(approvalRight(base)).toEqual({ allowed: true });
  });

  it("refuses too low a permission, in words", () => {
    expect(approvalRight({ ...base, permission: "read" })).toEqual({
      allowed: false,
      reason: "needs write on acme/web-app; you have read",
    });
  });

  it("refuses a person in none of the required teams", () => {
    const policy = { ...DEFAULT_POLICY.approvals, requiredTeams: ["acme/release"] };
    expect(approvalRight({ ...base, policy, team: { kind: "checked", team: null } })).toEqual({
      allowed: false,
      reason: "needs a member of acme/release",
    });
    expect(approvalRight({ ...base, policy, team: { kind: "checked", team: "acme/release" } }).allowed).toBe(true);
  });

  it("refuses self-approval: the author of a commit, matched by GitHub id, and who started the execution", () => {
    const commits = [
      { sha: "abc1234def", authorGithubId: null },
      { sha: "abc1234ffff", authorGithubId: 1001n },
    ];
    const authors = { commits, totalCommits: 2 };
    expect(approvalRight({ ...base, authors })).toEqual({
      allowed: false,
      reason: "you wrote a commit in this change (abc1234)",
    });
    expect(approvalRight({ ...base, startedBy: { githubId: 1001n } })).toEqual({
      allowed: false,
      reason: "you started this execution",
    });
    // Unknown authors cannot be ruled out: refused until GitHub answers.
    expect(approvalRight({ ...base, authors: null }).allowed).toBe(false);
    const off = { ...DEFAULT_POLICY.approvals, preventSelfApproval: false };
    expect(approvalRight({ ...base, policy: off, authors, startedBy: { githubId: 1001n } }).allowed).toBe(true);
  });

  it("refuses when the change has more commits than were read, since their authors are unknown", () => {
    const commits = Array.from({ length: 1000 }, (_, i) => ({ sha: `abc${i}`.padEnd(10, "0"), authorGithubId: 7n }));
    expect(approvalRight({ ...base, authors: { commits, totalCommits: 1234 } })).toEqual({
      allowed: false,
      reason: "this change has more commits than Stageboard can check for their authors (it read 1,000 of 1,234)",
    });
    // Every commit read: nothing held against the viewer.
    expect(approvalRight({ ...base, authors: { commits, totalCommits: 1000 } })).toEqual({ allowed: true });
    // A commit of the viewer's among those read is the reason that is certain.
    const own = [...commits.slice(1), { sha: "fff9999aaaa", authorGithubId: 1001n }];
    expect(approvalRight({ ...base, authors: { commits: own, totalCommits: 1234 } })).toEqual({
      allowed: false,
      reason: "you wrote a commit in this change (fff9999)",
    });
    const off = { ...DEFAULT_POLICY.approvals, preventSelfApproval: false };
    expect(approvalRight({ ...base, policy: off, authors: { commits, totalCommits: 1234 } })).toEqual({
      allowed: true,
    });
  });

  it("refuses a second vote of the same person, saying how many are still needed", () => {
    const policy = { ...DEFAULT_POLICY.approvals, requiredApprovals: 2 };
    const votes = [{ githubId: 1001n, login: "ada", decision: "approve" as const }];
    expect(approvalRight({ ...base, policy, votes })).toEqual({
      allowed: false,
      reason: "you already approved; 1 more approval needed",
    });
  });

  it("needs a comment to reject, and to approve when the policy says so", () => {
    expect(approvalRight({ ...base, decision: "reject", comment: " " })).toEqual({
      allowed: false,
      reason: "a comment is required to reject",
    });
    const policy = { ...DEFAULT_POLICY.approvals, requireApproveComment: true };
    expect(approvalRight({ ...base, policy }).allowed).toBe(false);
    expect(approvalRight({ ...base, policy, comment: "ship it" }).allowed).toBe(true);
  });

  it("refuses a decided or expired approval", () => {
    expect(approvalRight({ ...base, status: "Approved" })).toEqual({
      allowed: false,
      reason: "this approval is approved",
    });
    expect(approvalRight({ ...base, expired: true })).toEqual({ allowed: false, reason: "this approval has expired" });
  });
});

describe("votes", () => {
  const two = { ...DEFAULT_POLICY.approvals, requiredApprovals: 2 };
  it("collects the required approvals before sending; one rejection sends at once", () => {
    expect(voteOutcome(two, [], "approve")).toEqual({ kind: "record", remaining: 1 });
    expect(voteOutcome(two, [{ githubId: 1n, login: "grace", decision: "approve" }], "approve")).toEqual({
      kind: "send",
      status: "Approved",
    });
    expect(voteOutcome(two, [], "reject")).toEqual({ kind: "send", status: "Rejected" });
    expect(voteOutcome(DEFAULT_POLICY.approvals, [], "approve")).toEqual({ kind: "send", status: "Approved" });
  });
});
