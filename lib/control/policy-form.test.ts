import { describe, expect, it } from "vitest";
import {
  policyFormFromOverride,
  policySettingsQuerySchema,
  policyUpdateFromForm,
  policyUpdateSchema,
} from "./policy-form";

const repositoryLevel = { pipelineId: null, stageName: null };

describe("policy form", () => {
  it("inherits every field of an empty level, and gives back what it was given", () => {
    const empty = policyFormFromOverride(null);
    expect(empty.minPermission).toBe("");
    expect(empty.requiredTeams).toBeNull();
    expect(policyUpdateFromForm(repositoryLevel, empty)).toEqual({
      ok: true,
      body: { ...repositoryLevel, override: {} },
    });
    const override = {
      approvals: {
        minPermission: "maintain" as const,
        requiredApprovals: 2,
        preventSelfApproval: false,
        requiredTeams: [],
      },
      commands: { "retry-stage": "admin" as const },
    };
    const stage = { pipelineId: "cmabc123", stageName: "Deploy" };
    expect(policyUpdateFromForm(stage, policyFormFromOverride(override))).toEqual({
      ok: true,
      body: { ...stage, override },
    });
  });

  it("reads teams separated by commas or spaces, and words what the schema refuses", () => {
    const values = policyFormFromOverride(null);
    expect(policyUpdateFromForm(repositoryLevel, { ...values, requiredTeams: "acme/release,  acme/ops" })).toEqual({
      ok: true,
      body: { ...repositoryLevel, override: { approvals: { requiredTeams: ["acme/release", "acme/ops"] } } },
    });
    expect(policyUpdateFromForm(repositoryLevel, { ...values, requiredTeams: "release" })).toEqual({
      ok: false,
      errors: { requiredTeams: "Required teams: must be org/team, e.g. acme/release" },
    });
    expect(policyUpdateFromForm(repositoryLevel, { ...values, requiredApprovals: "11" })).toMatchObject({
      ok: false,
      errors: { requiredApprovals: "Required approvals: at most 10" },
    });
    expect(policyUpdateFromForm({ pipelineId: "no such/id", stageName: null }, values)).toMatchObject({
      ok: false,
      errors: { form: expect.any(String) as unknown },
    });
  });
});

describe("a policy level", () => {
  // The settings page's address and the PUT body name a level by the same rules.
  const NAMES: ["pipeline" | "stage", string, boolean][] = [
    ["pipeline", "cmabc123", true],
    ["pipeline", "a-b_c", true],
    ["pipeline", "x".repeat(64), true],
    ["pipeline", "x".repeat(65), false],
    ["pipeline", "bad/id", false],
    ["pipeline", "<b>", false],
    ["stage", "Deploy", true],
    ["stage", "Deploy.eu@1_a-b", true],
    ["stage", "x".repeat(100), true],
    ["stage", "x".repeat(101), false],
    ["stage", "two words", false],
    ["stage", "<b>", false],
  ];
  it.each(NAMES)("%s %j: accepted %s, in the address and in the body", (level, name, ok) => {
    const body = level === "pipeline" ? { pipelineId: name } : { pipelineId: "cmabc123", stageName: name };
    expect(policySettingsQuerySchema.safeParse({ [level]: name }).success).toBe(ok);
    expect(policyUpdateSchema.safeParse({ ...body, override: {} }).success).toBe(ok);
  });

  it("takes no empty stage name in the body, where it would name no stage", () => {
    expect(policyUpdateSchema.safeParse({ stageName: "", override: {} }).success).toBe(false);
    expect(policyUpdateSchema.safeParse({ stageName: null, pipelineId: null, override: {} }).success).toBe(true);
  });
});
