import { describe, expect, it } from "vitest";
import { createModelValidator, modelAvailable } from "./model-validator";

const state = {
  pipelineName: "web-app",
  pipelineVersion: 3,
  created: 1767225600.25,
  updated: 1767312000.5,
  stageStates: [
    {
      stageName: "Approve",
      inboundTransitionState: { enabled: true },
      actionStates: [
        {
          actionName: "ManualApproval",
          latestExecution: {
            status: "InProgress",
            lastStatusChange: 1767398400.75,
            token: "5f0c2d7e-9b41-4c3a-8e6f-2a7b9c0d1e3f",
          },
        },
      ],
      latestExecution: { pipelineExecutionId: "0b7e4a19-3c2d-4f58-a6b1-9d8c7e6f5a40", status: "InProgress" },
    },
  ],
};

function checked(operation: string, status: number, body: unknown): string[] {
  const validator = createModelValidator();
  validator.check(operation, status, body);
  return validator.errors();
}

describe.skipIf(!modelAvailable())("createModelValidator", () => {
  it("counts the responses it checked", () => {
    const validator = createModelValidator();
    validator.check("GetPipelineState", 200, state);
    validator.check("GetPipeline", 400, { __type: "PipelineNotFoundException" });
    expect(validator.responses()).toBe(2);
  });

  it("accepts a conforming GetPipelineState response, as an object or as JSON text", () => {
    expect(checked("GetPipelineState", 200, state)).toEqual([]);
    expect(checked("GetPipelineState", 200, JSON.stringify(state))).toEqual([]);
  });

  it("flags an unknown member", () => {
    const errors = checked("GetPipelineState", 200, { ...state, pipelineColour: "blue" });
    expect(errors).toEqual(["GetPipelineState 200: (body): unknown member pipelineColour in GetPipelineStateOutput"]);
  });

  it("flags a string timestamp", () => {
    const errors = checked("GetPipelineState", 200, { ...state, created: "2024-04-25T00:00:00Z" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("created: expected epoch-seconds number");
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
    const errors = checked("GetPipelineState", 200, body);
    expect(errors).toEqual([
      'GetPipelineState 200: stageStates[0].latestExecution.status: "Paused" is not a StageExecutionStatus value',
    ]);
  });

  it("flags missing required members and wrong JSON types", () => {
    const errors = checked("ListPipelineExecutions", 200, {
      pipelineExecutionSummaries: [
        { pipelineExecutionId: "c41d8e07-6a2b-4d9f-93e5-0f1a2b3c4d5e", sourceRevisions: [{}] },
      ],
      nextToken: 5,
    });
    expect(errors).toEqual([
      "ListPipelineExecutions 200: pipelineExecutionSummaries[0].sourceRevisions[0]: required member actionName of SourceRevision missing",
      "ListPipelineExecutions 200: nextToken: expected string (NextToken), got 5",
    ]);
  });

  it("wants an empty body from operations without output", () => {
    expect(checked("EnableStageTransition", 200, "")).toEqual([]);
    expect(checked("EnableStageTransition", 200, {})).toEqual([]);
    expect(checked("EnableStageTransition", 200, { ok: true })).toHaveLength(1);
  });

  it("accepts modelled and common errors with the right status", () => {
    expect(checked("GetPipeline", 400, { __type: "PipelineNotFoundException", message: "no such pipeline" })).toEqual(
      [],
    );
    expect(checked("StartPipelineExecution", 409, { __type: "ConflictException", message: "busy" })).toEqual([]);
    expect(checked("ListPipelines", 400, { __type: "ThrottlingException", message: "Rate exceeded" })).toEqual([]);
    expect(checked("ListPipelines", 500, { __type: "InternalFailure" })).toEqual([]);
    expect(checked("Frobnicate", 400, { __type: "UnknownOperationException" })).toEqual([]);
    expect(
      checked("GetPipeline", 400, { __type: "com.amazonaws.codepipeline#PipelineNotFoundException:http://internal" }),
    ).toEqual([]);
  });

  it("flags errors the operation cannot return, wrong statuses and extra members", () => {
    expect(checked("ListPipelines", 400, { __type: "PipelineNotFoundException" })).toEqual([
      "ListPipelines 400: __type PipelineNotFoundException is neither an error of ListPipelines nor a common AWS error",
    ]);
    expect(checked("StartPipelineExecution", 400, { __type: "ConflictException" })).toEqual([
      "StartPipelineExecution 400: ConflictException sent with HTTP 400, model says 409",
    ]);
    expect(checked("GetPipeline", 400, { __type: "PipelineNotFoundException", detail: "x" })).toEqual([
      "GetPipeline 400: unknown member detail in PipelineNotFoundException",
    ]);
    expect(checked("GetPipeline", 400, { message: "no type" })).toEqual([
      "GetPipeline 400: error body has no string __type",
    ]);
    expect(checked("GetPipeline", 400, "<html>")).toHaveLength(1);
  });

  it("flags values outside the model's patterns and ranges", () => {
    const errors = checked("StartPipelineExecution", 200, { pipelineExecutionId: "not-a-uuid" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("does not match PipelineExecutionId pattern");
  });
});
