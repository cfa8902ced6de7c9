// The validator against botocore's full model (npm run test:model): what the package model cannot
// check, enums, patterns, ranges and which errors each operation may return.
import { describe, expect, it } from "vitest";
import { loadFullModel } from "./model-file";
import { createModelValidator } from "./model-validator";

const state = {
  pipelineName: "web-app",
  pipelineVersion: 3,
  created: 1767225600.25,
  stageStates: [
    {
      stageName: "Approve",
      latestExecution: { pipelineExecutionId: "0b7e4a19-3c2d-4f58-a6b1-9d8c7e6f5a40", status: "InProgress" },
    },
  ],
};

function checked(operation: string, status: number, body: unknown): string[] {
  const validator = createModelValidator(loadFullModel());
  validator.check(operation, status, body);
  return validator.errors();
}

describe("createModelValidator with botocore's model", () => {
  it("accepts a conforming response and flags an unknown member, as with the package model", () => {
    expect(checked("GetPipelineState", 200, state)).toEqual([]);
    expect(checked("GetPipelineState", 200, { ...state, pipelineColour: "blue" })).toEqual([
      "GetPipelineState 200: (body): unknown member pipelineColour in GetPipelineStateOutput",
    ]);
    expect(checked("ListPipelineExecutions", 200, { nextToken: 5 })).toEqual([
      "ListPipelineExecutions 200: nextToken: expected string (NextToken), got 5",
    ]);
  });

  it("flags an enum value the model does not list, deep in the tree", () => {
    const stage = state.stageStates[0];
    const body = {
      ...state,
      stageStates: [
        {
          ...stage,
          latestExecution: { pipelineExecutionId: "0b7e4a19-3c2d-4f58-a6b1-9d8c7e6f5a40", status: "Paused" },
        },
      ],
    };
    expect(checked("GetPipelineState", 200, body)).toEqual([
      'GetPipelineState 200: stageStates[0].latestExecution.status: "Paused" is not a StageExecutionStatus value',
    ]);
  });

  it("flags values outside the model's patterns and ranges", () => {
    const errors = checked("StartPipelineExecution", 200, { pipelineExecutionId: "not-a-uuid" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("does not match PipelineExecutionId pattern");
    expect(checked("ListPipelines", 200, { pipelines: [{ name: "web-app", version: 0 }] })).toEqual([
      "ListPipelines 200: pipelines[0].version: value 0 below min 1 (PipelineVersion)",
    ]);
  });

  it("accepts the errors an operation may return and flags the ones it cannot", () => {
    expect(checked("GetPipeline", 400, { __type: "PipelineNotFoundException", message: "no such pipeline" })).toEqual(
      [],
    );
    expect(checked("StartPipelineExecution", 409, { __type: "ConflictException", message: "busy" })).toEqual([]);
    expect(checked("ListPipelines", 400, { __type: "ThrottlingException", message: "Rate exceeded" })).toEqual([]);
    expect(checked("ListPipelines", 400, { __type: "PipelineNotFoundException" })).toEqual([
      "ListPipelines 400: __type PipelineNotFoundException is neither an error of ListPipelines nor a common AWS error",
    ]);
    expect(checked("StartPipelineExecution", 400, { __type: "ConflictException" })).toEqual([
      "StartPipelineExecution 400: ConflictException sent with HTTP 400, model says 409",
    ]);
  });
});
