import { describe, expect, it } from "vitest";
import { connectionLabel, declaredTriggerTexts, executionTriggerText } from "./trigger-text";

const ARN = "arn:aws:codestar-connections:us-east-1:123456789012:connection/3f2a9c1e-1111-2222-3333-444455556666";

describe("executionTriggerText", () => {
  it("says who started it", () => {
    expect(executionTriggerText({ triggerType: "StartPipelineExecution", startedBy: "ada" })).toBe("started by @ada");
    expect(
      executionTriggerText({
        triggerType: "StartPipelineExecution",
        triggerDetail: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
      }),
    ).toBe("started by alice (role Admin)");
    expect(
      executionTriggerText({
        triggerType: "StartPipelineExecution",
        triggerDetail: "arn:aws:iam::123456789012:user/ops/bob",
      }),
    ).toBe("started by bob (IAM user)");
    expect(executionTriggerText({ triggerType: "StartPipelineExecution", triggerDetail: "<b>x</b>" })).toBe(
      "started manually",
    );
  });

  it("names webhooks, polling and events in words", () => {
    expect(executionTriggerText({ triggerType: "Webhook", triggerDetail: "arn:aws:codepipeline:x" })).toBe("webhook");
    expect(executionTriggerText({ triggerType: "PollForSourceChanges" })).toBe("polling");
    expect(executionTriggerText({ triggerType: "CloudWatchEvent" })).toBe("CloudWatch event");
    expect(executionTriggerText({ triggerType: "AutomatedRollback" })).toBe("automatic rollback");
    expect(executionTriggerText({ triggerType: "SomethingNewFromAws" })).toBe("something new from aws");
    expect(executionTriggerText({ triggerType: null })).toBe("unknown trigger");
  });

  it("shows a connection ARN as the connection, never the ARN", () => {
    const text = executionTriggerText({ triggerType: "WebhookV2", triggerDetail: ARN, connectionProvider: "GitHub" });
    expect(text).toBe("push or pull request via GitHub connection 3f2a9c1e");
    expect(text).not.toContain("arn:");
    expect(executionTriggerText({ triggerType: "WebhookV2", triggerDetail: "garbage" })).toBe("push or pull request");
  });
});

describe("connectionLabel", () => {
  it("accepts both service prefixes and nothing else", () => {
    expect(connectionLabel(ARN.replace("codestar-connections", "codeconnections"))).toBe("connection 3f2a9c1e");
    expect(connectionLabel(ARN, "GitHubEnterpriseServer")).toBe("GitHub Enterprise Server connection 3f2a9c1e");
    expect(connectionLabel("arn:aws:s3:::bucket")).toBeNull();
    expect(connectionLabel(null)).toBeNull();
  });
});

describe("declaredTriggerTexts", () => {
  it("turns filter JSON into words", () => {
    expect(
      declaredTriggerTexts([
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            push: [{ branches: { includes: ["main"] } }, { tags: { includes: ["v*"] } }],
            pullRequest: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main"], excludes: ["wip/*"] } }],
          },
        },
      ]),
    ).toEqual([
      "push to main (on Source)",
      "push of tag v* (on Source)",
      "pull request (opened, updated) to main not wip/* (on Source)",
    ]);
  });

  it("tolerates garbage", () => {
    expect(declaredTriggerTexts("x")).toEqual([]);
    expect(declaredTriggerTexts([null, { gitConfiguration: { push: "nope" } }])).toEqual(["any change", "any change"]);
    expect(declaredTriggerTexts([{ gitConfiguration: { push: [{ branches: { includes: [1, "dev"] } }] } }])).toEqual([
      "push to dev",
    ]);
  });
});
