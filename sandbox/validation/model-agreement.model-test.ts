// Proves the sandbox's input constraints (SDK schema tree + ./constraints) agree with AWS's model:
// botocore's full model, which npm run test:model passes in (the package model has no constraints).
import { describe, expect, it } from "vitest";
import { compareInputs } from "../test-support/model-agreement";
import { loadFullModel } from "../test-support/model-file";
import { probesFor } from "../test-support/model-probes";
import { MEMBER_RULES, ruleFor, type Rule } from "./constraints";
import { VALIDATED_OPERATIONS, validateInput } from "./index";
import { SchemaReader, type StructureNode } from "./sdk-schema";

function sandboxInputs(): Map<string, StructureNode> {
  const reader = new SchemaReader();
  return new Map(VALIDATED_OPERATIONS.map((op) => [op, reader.operationInput(op)]));
}

describe("input constraints agree with AWS's CodePipeline model", () => {
  it("has the same members, required members, enums, lengths, ranges and patterns everywhere", () => {
    const { differences } = compareInputs(loadFullModel(), sandboxInputs(), ruleFor);
    expect(differences).toEqual([]);
  });

  it("has no rule the model walk never reaches", () => {
    const { consulted } = compareInputs(loadFullModel(), sandboxInputs(), ruleFor);
    expect(Object.keys(MEMBER_RULES).filter((key) => !consulted.has(key))).toEqual([]);
  });

  it("notices a missing or altered constraint", () => {
    const tampered = (structure: string, member: string): Rule | undefined => {
      if (structure === "ActionDeclaration" && member === "runOrder") return { int: true, min: 1, max: 998 };
      if (structure === "ApprovalResult" && member === "status") return undefined;
      if (structure === "GitBranchFilterCriteria" && member === "includes")
        return { min: 1, max: 8, member: { min: 1, max: 255 } };
      return ruleFor(structure, member);
    };
    const { differences } = compareInputs(loadFullModel(), sandboxInputs(), tampered);
    expect(differences).toEqual([
      'ApprovalResult.status: enum is none, model says "Approved|Rejected"',
      "ActionDeclaration.runOrder: max is 998, model says 999",
      'GitBranchFilterCriteria.includes[]: pattern is none, model says ".*"',
    ]);
  });

  it("notices a required member the SDK tree disagrees on", () => {
    const inputs = sandboxInputs();
    const original = inputs.get("GetPipeline");
    if (!original) throw new Error("GetPipeline input missing");
    const loosened: StructureNode = { ...original, members: original.members.map((m) => ({ ...m, required: false })) };
    inputs.set("GetPipeline", loosened);
    const { differences } = compareInputs(loadFullModel(), inputs, ruleFor);
    expect(differences).toEqual(['GetPipelineInput: required members is "", model says "name"']);
  });

  describe.each(VALIDATED_OPERATIONS)("validateInput(%s) rejects every model constraint violation", (operation) => {
    const probes = probesFor(loadFullModel(), operation);

    it(`reports each of ${probes.length} violations at the right path`, () => {
      expect(probes.length).toBeGreaterThan(0);
      const missed = probes
        .map((probe) => ({ probe, message: validateInput(operation, probe.input) ?? "(accepted)" }))
        .filter(({ probe, message }) => !message.includes(probe.expect))
        .map(({ probe, message }) => `${probe.expect}\n   input ${JSON.stringify(probe.input)}\n   got   ${message}`);
      expect(missed).toEqual([]);
    });
  });
});
