import { describe, expect, it } from "vitest";
import { overrideFromPolicyForm, policyFormFromOverride } from "./policy-form";

describe("policy form", () => {
  it("inherits every field of an empty level, and gives back what it was given", () => {
    const empty = policyFormFromOverride(null);
    expect(empty.minPermission).toBe("");
    expect(empty.requiredTeams).toBeNull();
    expect(overrideFromPolicyForm(empty)).toEqual({ ok: true, body: {} });
    const override = {
      approvals: {
        minPermission: "maintain" as const,
        requiredApprovals: 2,
        preventSelfApproval: false,
        requiredTeams: [],
      },
      commands: { "retry-stage": "admin" as const },
    };
    expect(overrideFromPolicyForm(policyFormFromOverride(override))).toEqual({ ok: true, body: override });
  });

  it("reads teams separated by commas or spaces, and words what the schema refuses", () => {
    const values = policyFormFromOverride(null);
    expect(overrideFromPolicyForm({ ...values, requiredTeams: "acme/release,  acme/ops" })).toEqual({
      ok: true,
      body: { approvals: { requiredTeams: ["acme/release", "acme/ops"] } },
    });
    expect(overrideFromPolicyForm({ ...values, requiredTeams: "release" })).toEqual({
      ok: false,
      errors: { requiredTeams: "Required teams: must be org/team, e.g. acme/release" },
    });
    expect(overrideFromPolicyForm({ ...values, requiredApprovals: "11" })).toMatchObject({
      ok: false,
      errors: { requiredApprovals: "Required approvals: at most 10" },
    });
  });
});
