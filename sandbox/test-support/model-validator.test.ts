// The validator against the package model, as every test run uses it. The checks that need
// botocore's model (enums, patterns, each operation's errors) are in model-validator.model-test.ts.
import { describe, expect, it } from "vitest";
import { createModelValidator } from "./model-validator";

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

describe("createModelValidator with the package model", () => {
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

  it("flags a wrong type deep in the tree, under the structure's botocore name", () => {
    const stage = state.stageStates[0];
    const body = { ...state, stageStates: [{ ...stage, latestExecution: { pipelineExecutionId: 7, status: "x" } }] };
    expect(checked("GetPipelineState", 200, body)).toEqual([
      "GetPipelineState 200: stageStates[0].latestExecution.pipelineExecutionId: expected string, got 7",
    ]);
    expect(checked("GetPipelineState", 200, { ...state, stageStates: [{ ...stage, actionStates: {} }] })).toEqual([
      "GetPipelineState 200: stageStates[0].actionStates: expected ActionStateList array, got {}",
    ]);
  });

  it("knows the members AWS added after the package model froze", () => {
    const stage = {
      ...state.stageStates[0],
      retryStageMetadata: { autoStageRetryAttempt: 1, latestRetryTrigger: "x" },
    };
    expect(checked("GetPipelineState", 200, { ...state, stageStates: [stage] })).toEqual([]);
    const wrong = { ...stage, retryStageMetadata: { autoStageRetryAttempt: "1", attempts: 2 } };
    expect(checked("GetPipelineState", 200, { ...state, stageStates: [wrong] })).toEqual([
      'GetPipelineState 200: stageStates[0].retryStageMetadata.autoStageRetryAttempt: expected integer, got "1"',
      "GetPipelineState 200: stageStates[0].retryStageMetadata: unknown member attempts in RetryStageMetadata",
    ]);
  });

  it("leaves enums, lengths and patterns to botocore's model", () => {
    const stage = state.stageStates[0];
    const paused = { ...stage, latestExecution: { pipelineExecutionId: "0b7e4a19", status: "Paused" } };
    expect(checked("GetPipelineState", 200, { ...state, stageStates: [paused] })).toEqual([]);
    expect(checked("StartPipelineExecution", 200, { pipelineExecutionId: "not-a-uuid" })).toEqual([]);
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
      "ListPipelineExecutions 200: nextToken: expected string, got 5",
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

  it("flags errors CodePipeline does not have, wrong statuses and extra members", () => {
    expect(checked("ListPipelines", 400, { __type: "NoSuchBucket" })).toEqual([
      "ListPipelines 400: __type NoSuchBucket is neither an error of CodePipeline nor a common AWS error",
    ]);
    expect(checked("StartPipelineExecution", 400, { __type: "ConflictException" })).toEqual([
      "StartPipelineExecution 400: ConflictException sent with HTTP 400, model says 409",
    ]);
    expect(checked("ListPipelines", 400, { __type: "InternalFailure" })).toEqual([
      "ListPipelines 400: InternalFailure sent with HTTP 400, expected 5xx",
    ]);
    expect(checked("GetPipeline", 400, { __type: "PipelineNotFoundException", detail: "x" })).toEqual([
      "GetPipeline 400: unknown member detail in PipelineNotFoundException",
    ]);
    expect(checked("GetPipeline", 400, { message: "no type" })).toEqual([
      "GetPipeline 400: error body has no string __type",
    ]);
    expect(checked("GetPipeline", 400, "<html>")).toHaveLength(1);
  });
});
