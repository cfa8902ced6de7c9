// Nested shapes: pipeline declarations sent to CreatePipeline and UpdatePipeline.
import { describe, expect, it } from "vitest";
import { validateInput } from "./index";

function declaration() {
  return {
    name: "web-app",
    roleArn: "arn:aws:iam::123456789012:role/service-role/AWSCodePipelineServiceRole-web-app",
    pipelineType: "V2",
    executionMode: "QUEUED",
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-123456789012" },
    variables: [{ name: "DEPLOY_ENV", defaultValue: "staging", description: "Target environment" }],
    triggers: [
      {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: {
          sourceActionName: "Source",
          push: [{ branches: { includes: ["main", "release/*"] }, filePaths: { excludes: ["docs/**"] } }],
          pullRequest: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main"] } }],
        },
      },
    ],
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            configuration: {
              ConnectionArn:
                "arn:aws:codestar-connections:us-east-1:123456789012:connection/7c3a9e21-04bd-4f6e-b8d2-5a1c9e0f7b36",
              FullRepositoryId: "acme/web-app",
              BranchName: "main",
            },
            outputArtifacts: [{ name: "SourceOutput" }],
            namespace: "SourceVariables",
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Build",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            runOrder: 1,
            configuration: { ProjectName: "web-app-build" },
            inputArtifacts: [{ name: "SourceOutput" }],
            outputArtifacts: [{ name: "BuildOutput" }],
          },
        ],
        onFailure: { result: "RETRY", retryConfiguration: { retryMode: "FAILED_ACTIONS" } },
      },
      {
        name: "Approve",
        actions: [
          {
            name: "ManualApproval",
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
            timeoutInMinutes: 1440,
          },
        ],
        beforeEntry: {
          conditions: [
            {
              result: "FAIL",
              rules: [
                {
                  name: "NoAlarms",
                  ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
                  configuration: { AlarmName: "web-app-5xx" },
                },
              ],
            },
          ],
        },
      },
    ],
  };
}

type Declaration = ReturnType<typeof declaration>;

function withAction(change: (action: Record<string, unknown>) => void): Declaration {
  const d = declaration();
  const action = d.stages[1]?.actions[0];
  if (!action) throw new Error("fixture has no build action");
  change(action);
  return d;
}

describe("validateInput: pipeline declarations", () => {
  it("accepts a realistic V2 pipeline for CreatePipeline and UpdatePipeline", () => {
    expect(
      validateInput("CreatePipeline", { pipeline: declaration(), tags: [{ key: "team", value: "" }] }),
    ).toBeUndefined();
    expect(validateInput("UpdatePipeline", { pipeline: { ...declaration(), version: 4 } })).toBeUndefined();
  });

  it("reports missing required members of the declaration", () => {
    const { roleArn: _roleArn, stages: _stages, ...rest } = declaration();
    expect(validateInput("CreatePipeline", { pipeline: rest })).toBe(
      "2 validation errors detected: Value null at 'pipeline.roleArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'pipeline.stages' failed to satisfy constraint: Member must not be null",
    );
    expect(validateInput("CreatePipeline", {})).toContain("Value null at 'pipeline'");
  });

  it("addresses list elements with 1-based '.N.member' paths", () => {
    const d = withAction((a) => {
      a.name = "Build & test";
      a.runOrder = 1000;
    });
    expect(validateInput("CreatePipeline", { pipeline: d })).toBe(
      "2 validation errors detected: " +
        "Value 'Build & test' at 'pipeline.stages.2.member.actions.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+; " +
        "Value '1000' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: Member must have value less than or equal to 999",
    );
  });

  it("reports a missing actionTypeId and a bad enum inside it", () => {
    expect(validateInput("UpdatePipeline", { pipeline: withAction((a) => delete a.actionTypeId) })).toBe(
      "1 validation error detected: Value null at 'pipeline.stages.2.member.actions.1.member.actionTypeId' failed to satisfy constraint: Member must not be null",
    );
    const bad = withAction((a) => {
      a.actionTypeId = { category: "Lint", owner: "AWS", provider: "CodeBuild", version: "1" };
    });
    expect(validateInput("UpdatePipeline", { pipeline: bad })).toContain(
      "Value 'Lint' at 'pipeline.stages.2.member.actions.1.member.actionTypeId.category' failed to satisfy constraint: Member must satisfy enum value set: [",
    );
  });

  it("checks configuration map values and keys as a whole", () => {
    const longValue = withAction((a) => {
      a.configuration = { ProjectName: "x".repeat(1001) };
    });
    expect(validateInput("CreatePipeline", { pipeline: longValue })).toContain(
      "at 'pipeline.stages.2.member.actions.1.member.configuration' failed to satisfy constraint: " +
        "Map value must satisfy constraint: [Member must have length less than or equal to 1000, Member must have length greater than or equal to 1]",
    );
    const longKey = withAction((a) => {
      a.configuration = { ["K".repeat(51)]: "v" };
    });
    expect(validateInput("CreatePipeline", { pipeline: longKey })).toContain(
      "Map keys must satisfy constraint: [Member must have length less than or equal to 50",
    );
    expect(
      validateInput("CreatePipeline", { pipeline: withAction((a) => (a.configuration = { ProjectName: 7 })) }),
    ).toContain(
      "Value '7' at 'pipeline.stages.2.member.actions.1.member.configuration.ProjectName.member' failed to satisfy constraint: Member must be of type string",
    );
  });

  it("checks deeply nested conditions, rules and triggers", () => {
    const d = declaration();
    const approve = d.stages[2];
    const rule = approve?.beforeEntry?.conditions[0]?.rules[0];
    if (!rule) throw new Error("fixture has no rule");
    rule.ruleTypeId.category = "Check";
    const trigger = d.triggers[0];
    if (!trigger) throw new Error("fixture has no trigger");
    trigger.gitConfiguration.pullRequest = [{ events: ["MERGED"], branches: { includes: [] } }];
    expect(validateInput("CreatePipeline", { pipeline: d })).toBe(
      "3 validation errors detected: " +
        "Value 'Check' at 'pipeline.stages.3.member.beforeEntry.conditions.1.member.rules.1.member.ruleTypeId.category' failed to satisfy constraint: Member must satisfy enum value set: [Rule]; " +
        "Value '[MERGED]' at 'pipeline.triggers.1.member.gitConfiguration.pullRequest.1.member.events' failed to satisfy constraint: " +
        "Member must satisfy constraint: [Member must satisfy enum value set: [CLOSED, OPEN, UPDATED]]; " +
        "Value '[]' at 'pipeline.triggers.1.member.gitConfiguration.pullRequest.1.member.branches.includes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("checks per-region artifact stores, keyed by region", () => {
    const d = {
      ...declaration(),
      artifactStore: undefined,
      artifactStores: { "us-east-1": { type: "S3", location: "ab" }, eu: { type: "S3", location: "bucket-eu" } },
    };
    expect(validateInput("CreatePipeline", { pipeline: d })).toBe(
      "2 validation errors detected: " +
        "Value 'ab' at 'pipeline.artifactStores.us-east-1.member.location' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '{us-east-1={type=S3, location=ab}, eu={type=S3, location=bucket-eu}}' at 'pipeline.artifactStores' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 30, Member must have length greater than or equal to 4]",
    );
  });
});
