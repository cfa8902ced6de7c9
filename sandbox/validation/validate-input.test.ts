import { describe, expect, it } from "vitest";
import { validateInput } from "./index";

const NAME_PATTERN = "[A-Za-z0-9.@\\-_]+";
const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const EXECUTION = "0b7e4a19-3c2d-4f58-a6b1-9d8c7e6f5a40";

const approval = {
  pipelineName: "web-app",
  stageName: "Approve",
  actionName: "ManualApproval",
  result: { summary: "Looks good", status: "Approved" },
  token: "5f0c2d7e-9b41-4c3a-8e6f-2a7b9c0d1e3f",
};

describe("validateInput: read operations", () => {
  it("accepts well-formed requests, an absent body and unknown extra members", () => {
    expect(validateInput("ListPipelines", {})).toBeUndefined();
    expect(validateInput("ListPipelines", undefined)).toBeUndefined();
    expect(validateInput("ListPipelines", { maxResults: 1000, nextToken: "opaque" })).toBeUndefined();
    expect(validateInput("GetPipeline", { name: "web-app.prod@eu_1", version: 3 })).toBeUndefined();
    expect(validateInput("GetPipelineState", { name: "web-app", futureMember: true })).toBeUndefined();
    expect(
      validateInput("ListActionExecutions", {
        pipelineName: "web-app",
        filter: { latestInPipelineExecution: { pipelineExecutionId: EXECUTION, startTimeRange: "All" } },
        maxResults: 100,
      }),
    ).toBeUndefined();
  });

  it("treats null as absent: fine for optional members, missing for required ones", () => {
    expect(validateInput("ListPipelines", { maxResults: null, nextToken: null })).toBeUndefined();
    expect(validateInput("GetPipeline", { name: null })).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });

  it("reports a missing pipeline name", () => {
    expect(validateInput("ListPipelineExecutions", { maxResults: 10 })).toBe(
      "1 validation error detected: Value null at 'pipelineName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("reports a name outside the pattern", () => {
    expect(validateInput("GetPipeline", { name: "web app!" })).toBe(
      `1 validation error detected: Value 'web app!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
  });

  it("reports a name that is too long, and an empty one breaking two constraints", () => {
    const long = "p".repeat(101);
    expect(validateInput("GetPipelineState", { name: long })).toBe(
      `1 validation error detected: Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
    expect(validateInput("GetPipelineState", { name: "p".repeat(100) })).toBeUndefined();
    expect(validateInput("GetPipelineState", { name: "" })).toBe(
      "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        `Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
  });

  it("reports page sizes outside their ranges", () => {
    expect(validateInput("ListPipelineExecutions", { pipelineName: "web-app", maxResults: 101 })).toBe(
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    expect(validateInput("ListRuleExecutions", { pipelineName: "web-app", maxResults: 0 })).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(validateInput("ListPipelines", { maxResults: 1001 })).toContain("less than or equal to 1000");
    expect(validateInput("ListPipelineExecutions", { pipelineName: "web-app", nextToken: "" })).toContain(
      "at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("reports wrong JSON types", () => {
    expect(validateInput("ListPipelines", { maxResults: "10" })).toBe(
      "1 validation error detected: Value '10' at 'maxResults' failed to satisfy constraint: Member must be of type integer",
    );
    expect(validateInput("ListPipelines", { maxResults: 2.5 })).toContain("Member must be of type integer");
    expect(validateInput("GetPipeline", { name: 42 })).toContain(
      "Value '42' at 'name' failed to satisfy constraint: Member must be of type string",
    );
    expect(
      validateInput("StopPipelineExecution", {
        pipelineName: "web-app",
        pipelineExecutionId: EXECUTION,
        abandon: "true",
      }),
    ).toContain("at 'abandon' failed to satisfy constraint: Member must be of type boolean");
    expect(validateInput("ListPipelines", ["web-app"])).toBe(
      "1 validation error detected: Value '[web-app]' failed to satisfy constraint: Member must be of type structure",
    );
  });

  it("checks nested filters", () => {
    expect(
      validateInput("ListActionExecutions", {
        pipelineName: "web-app",
        filter: { latestInPipelineExecution: { pipelineExecutionId: "latest" } },
      }),
    ).toBe(
      "2 validation errors detected: Value 'latest' at 'filter.latestInPipelineExecution.pipelineExecutionId' failed to satisfy constraint: " +
        `Member must satisfy regular expression pattern: ${UUID_PATTERN}; ` +
        "Value null at 'filter.latestInPipelineExecution.startTimeRange' failed to satisfy constraint: Member must not be null",
    );
    expect(
      validateInput("ListPipelineExecutions", {
        pipelineName: "web-app",
        filter: { succeededInStage: { stageName: "Prod stage" } },
      }),
    ).toContain("at 'filter.succeededInStage.stageName'");
  });
});

describe("validateInput: write operations", () => {
  it("accepts a well-formed approval and rejects a bad enum and token together", () => {
    expect(validateInput("PutApprovalResult", approval)).toBeUndefined();
    expect(
      validateInput("PutApprovalResult", {
        ...approval,
        result: { summary: "ok", status: "approved" },
        token: "TOKEN",
      }),
    ).toBe(
      "2 validation errors detected: Value 'approved' at 'result.status' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected]; " +
        `Value 'TOKEN' at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: ${UUID_PATTERN}`,
    );
    expect(
      validateInput("PutApprovalResult", { ...approval, result: { summary: "s".repeat(513), status: "Rejected" } }),
    ).toContain("at 'result.summary' failed to satisfy constraint: Member must have length less than or equal to 512");
    expect(validateInput("PutApprovalResult", { ...approval, result: "Approved" })).toContain(
      "Value 'Approved' at 'result' failed to satisfy constraint: Member must be of type structure",
    );
  });

  it("checks stage transitions, retries, overrides and rollbacks", () => {
    const stage = { pipelineName: "web-app", stageName: "Deploy" };
    expect(validateInput("EnableStageTransition", { ...stage, transitionType: "Inbound" })).toBeUndefined();
    expect(validateInput("EnableStageTransition", { ...stage, transitionType: "Both" })).toContain(
      "Value 'Both' at 'transitionType' failed to satisfy constraint: Member must satisfy enum value set: [Inbound, Outbound]",
    );
    expect(
      validateInput("DisableStageTransition", {
        ...stage,
        transitionType: "Inbound",
        reason: "Holiday release hold (until 4.2)",
      }),
    ).toBeUndefined();
    expect(
      validateInput("DisableStageTransition", { ...stage, transitionType: "Inbound", reason: "freeze; see #ops" }),
    ).toContain(
      "at 'reason' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+",
    );
    expect(
      validateInput("RetryStageExecution", { ...stage, pipelineExecutionId: EXECUTION, retryMode: "FAILED" }),
    ).toContain("Member must satisfy enum value set: [ALL_ACTIONS, FAILED_ACTIONS]");
    expect(
      validateInput("OverrideStageCondition", {
        ...stage,
        pipelineExecutionId: EXECUTION,
        conditionType: "ON_SUCCESS",
      }),
    ).toBeUndefined();
    expect(validateInput("RollbackStage", stage)).toContain("Value null at 'targetPipelineExecutionId'");
  });

  it("checks execution starts, including list lengths and element shapes", () => {
    expect(
      validateInput("StartPipelineExecution", {
        name: "web-app",
        clientRequestToken: "b1f0a6e4-retry-1",
        variables: [{ name: "DEPLOY_ENV", value: "staging" }],
        sourceRevisions: [
          {
            actionName: "Source",
            revisionType: "COMMIT_ID",
            revisionValue: "3e9d1c0b7a5f48e2d6c4b1a09f8e7d6c5b4a3f21",
          },
        ],
      }),
    ).toBeUndefined();
    expect(validateInput("StartPipelineExecution", { name: "web-app", variables: [] })).toContain(
      "Value '[]' at 'variables' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(
      validateInput("StartPipelineExecution", { name: "web-app", clientRequestToken: "token with spaces" }),
    ).toContain("Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$");
    expect(
      validateInput("StartPipelineExecution", {
        name: "web-app",
        sourceRevisions: [{ actionName: "Source", revisionType: "BRANCH" }],
      }),
    ).toBe(
      "2 validation errors detected: " +
        "Value 'BRANCH' at 'sourceRevisions.1.member.revisionType' failed to satisfy constraint: Member must satisfy enum value set: [COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_KEY, S3_OBJECT_VERSION_ID]; " +
        "Value null at 'sourceRevisions.1.member.revisionValue' failed to satisfy constraint: Member must not be null",
    );
  });

  it("checks tags and ARNs", () => {
    expect(
      validateInput("ListTagsForResource", { resourceArn: "arn:aws:codepipeline:us-east-1:123456789012:web-app" }),
    ).toBeUndefined();
    expect(validateInput("ListTagsForResource", { resourceArn: "arn:aws:s3:::bucket" })).toContain("at 'resourceArn'");
    expect(validateInput("DeletePipeline", {})).toContain("Value null at 'name'");
  });

  it("ignores operations it does not validate", () => {
    expect(validateInput("ListWebhooks", { MaxResults: -1 })).toBeUndefined();
    expect(validateInput("NoSuchOperation", "garbage")).toBeUndefined();
  });
});
