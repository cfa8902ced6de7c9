// What Stageboard fits and checks before sending, held to botocore's full CodePipeline model (npm run
// test:model): the text limits and patterns of aws-limits.ts, the variable rules of the command body, and
// a sentence of its own (not the generic fallback) for every error a command's operation may return.
import { describe, expect, it } from "vitest";
import { COMMAND_OPERATIONS } from "@/lib/server/aws/control-operations";
import { describeControlError } from "@/lib/server/aws/control-errors";
import { loadFullModel, shapeOf } from "@/sandbox/test-support/model-file";
import { AWS_TEXT_LIMITS, AWS_VARIABLE_LIMITS, TRANSITION_REASON_PATTERN } from "./aws-limits";
import { commandBodySchema } from "./contract";

const model = loadFullModel();
const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`, "u");

/** Every character of the Basic Latin and Latin-1 blocks, plus a few from further away. */
const CHARACTERS = [...Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)), "€", "本", "😀", "\u2028"];

describe("aws-limits against the model", () => {
  it("has the model's lengths for the fitted texts", () => {
    expect(shapeOf(model, "ApprovalSummary").max).toBe(AWS_TEXT_LIMITS.approvalSummary);
    expect(shapeOf(model, "StopPipelineExecutionReason").max).toBe(AWS_TEXT_LIMITS.stopReason);
    expect(shapeOf(model, "DisabledReason")).toMatchObject({ min: 1, max: AWS_TEXT_LIMITS.transitionReason });
  });

  it("allows exactly the characters the model's DisabledReason pattern allows", () => {
    const modelPattern = whole(shapeOf(model, "DisabledReason").pattern ?? "");
    for (const ch of CHARACTERS) expect([ch, TRANSITION_REASON_PATTERN.test(ch)]).toEqual([ch, modelPattern.test(ch)]);
  });

  it("has the model's variable and source revision limits, and the command body enforces them", () => {
    const name = shapeOf(model, "PipelineVariableName");
    expect(name.max).toBe(AWS_VARIABLE_LIMITS.nameMax);
    expect(shapeOf(model, "PipelineVariableValue").max).toBe(AWS_VARIABLE_LIMITS.valueMax);
    expect(shapeOf(model, "PipelineVariableList").max).toBe(AWS_VARIABLE_LIMITS.perExecution);
    expect(shapeOf(model, "SourceRevisionOverrideList").max).toBe(AWS_VARIABLE_LIMITS.sourceRevisionsPerExecution);
    const modelName = whole(name.pattern ?? "");
    for (const ch of CHARACTERS) {
      expect([ch, AWS_VARIABLE_LIMITS.namePattern.test(ch)]).toEqual([ch, modelName.test(ch)]);
      const body = { kind: "start-execution", variables: [{ name: `A${ch}`, value: "v" }] };
      expect([ch, commandBodySchema.safeParse(body).success]).toEqual([ch, modelName.test(`A${ch}`)]);
    }
    const start = (variables: unknown[]) => commandBodySchema.safeParse({ kind: "start-execution", variables });
    expect(start([{ name: "N".repeat(128), value: "v".repeat(1000) }]).success).toBe(true);
    expect(start([{ name: "N".repeat(129), value: "v" }]).success).toBe(false);
    expect(start([{ name: "N", value: "v".repeat(1001) }]).success).toBe(false);
    expect(start([{ name: "N", value: "" }]).success).toBe(false);
    expect(start(Array.from({ length: 51 }, (_, i) => ({ name: `N${i}`, value: "v" }))).success).toBe(false);
  });

  it("words every error each command's operation may return (none falls to the generic message)", () => {
    for (const operation of new Set(Object.values(COMMAND_OPERATIONS))) {
      const errors = model.operations[operation]?.errors ?? [];
      expect(errors.length, operation).toBeGreaterThan(0);
      for (const { shape } of errors) {
        const failure = describeControlError({ name: shape, message: "m", $metadata: {} }, operation);
        expect([operation, shape, failure.code]).not.toEqual([operation, shape, "bad_gateway"]);
        expect(failure.awsErrorName).toBe(shape);
      }
    }
  });
});
