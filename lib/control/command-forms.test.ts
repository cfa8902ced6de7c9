import { describe, expect, it } from "vitest";
import { awsTextHint, checkCommand, checkDecision } from "./command-forms";

describe("checkCommand", () => {
  it("accepts a well-formed command and gives back what the route will receive", () => {
    expect(checkCommand({ kind: "disable-transition", stageName: "Deploy", reason: "Change freeze" })).toEqual({
      ok: true,
      body: { kind: "disable-transition", stageName: "Deploy", reason: "Change freeze" },
    });
  });

  it("words each problem for its field", () => {
    expect(checkCommand({ kind: "disable-transition", stageName: "Deploy", reason: "" })).toEqual({
      ok: false,
      errors: { reason: "A reason is required." },
    });
    const release = checkCommand({
      kind: "start-execution",
      sourceRevisions: [{ actionName: "Source", revisionValue: "main" }],
      variables: [{ name: "bad name", value: "" }],
    });
    expect(release).toEqual({
      ok: false,
      errors: {
        "sourceRevisions.0.revisionValue": "Enter a commit SHA: 7 to 64 hexadecimal characters.",
        "variables.0.name": "Variable names are 1 to 128 of A–Z, a–z, 0–9, @, - and _.",
        "variables.0.value": "A variable needs a value of 1 to 1,000 characters.",
      },
    });
    const long = checkCommand({ kind: "stop-execution", executionId: "x", abandon: false, reason: "r".repeat(4001) });
    expect(long).toMatchObject({
      ok: false,
      errors: { executionId: "Choose an execution.", reason: "Must be at most 4,000 characters" },
    });
  });
});

describe("checkDecision", () => {
  it("requires a comment to reject, and to approve only when the policy asks", () => {
    expect(checkDecision({ decision: "reject", comment: "  " }, { requireApproveComment: false })).toEqual({
      ok: false,
      errors: { comment: "Say why you reject it." },
    });
    expect(checkDecision({ decision: "approve", comment: "" }, { requireApproveComment: false })).toEqual({
      ok: true,
      body: { decision: "approve", comment: "" },
    });
    expect(checkDecision({ decision: "approve", comment: "" }, { requireApproveComment: true })).toMatchObject({
      ok: false,
      errors: { comment: expect.stringMatching(/comment with every approval/) as unknown },
    });
    expect(checkDecision({ decision: "reject", comment: " broken " }, { requireApproveComment: false })).toEqual({
      ok: true,
      body: { decision: "reject", comment: "broken" },
    });
  });
});

describe("awsTextHint", () => {
  it("says nothing while the text fits, and that the full text is kept when AWS gets less", () => {
    expect(awsTextHint("stopReason", "Bad deploy")).toBeNull();
    expect(awsTextHint("stopReason", "x".repeat(201))).toBe(
      "AWS keeps 200 characters; Stageboard keeps your full text in its audit log.",
    );
    expect(awsTextHint("transitionReason", "Change freeze (ops)")).toBeNull();
    expect(awsTextHint("transitionReason", "x".repeat(301))).toBe(
      "AWS keeps 300 characters; Stageboard keeps your full text in its audit log.",
    );
  });

  it("shows what AWS receives when a transition reason has characters its pattern refuses", () => {
    expect(awsTextHint("transitionReason", "Freeze: release #42")).toMatch(/so it is sent “Freeze release 42”/);
  });
});
