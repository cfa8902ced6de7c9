import { describe, expect, it } from "vitest";
import { confirmationFor } from "./confirmations";

const E = "1a2b3c4d-0000-4000-8000-000000000000";

describe("confirmationFor", () => {
  it("names the execution, the pipeline and the actions a stop abandons", () => {
    const abandon = confirmationFor(
      { kind: "stop-execution", executionId: E, abandon: true, reason: "" },
      { pipelineName: "web-app-deploy", inProgressActions: 2 },
    );
    expect(abandon.message).toMatch(
      /^Stop execution 1a2b3c4d of web-app-deploy and abandon the 2 actions in progress\?/,
    );
    expect(abandon).toMatchObject({ destructive: true, confirmLabel: "Stop and abandon" });
    const finish = confirmationFor(
      { kind: "stop-execution", executionId: E, abandon: false, reason: "" },
      { pipelineName: "web-app-deploy", inProgressActions: 1 },
    );
    expect(finish.message).toBe(
      "Stop execution 1a2b3c4d of web-app-deploy? The action in progress finishes first; nothing after it runs.",
    );
  });

  it("says which stage a retry, a rollback, a transition or an override touches", () => {
    const ctx = { pipelineName: "web-app-deploy" };
    expect(
      confirmationFor({ kind: "retry-stage", stageName: "Deploy", executionId: E, retryMode: "FAILED_ACTIONS" }, ctx)
        .message,
    ).toBe("Retry the failed actions of stage Deploy in execution 1a2b3c4d of web-app-deploy?");
    expect(
      confirmationFor({ kind: "retry-stage", stageName: "Deploy", executionId: E, retryMode: "ALL_ACTIONS" }, ctx)
        .message,
    ).toMatch(/^Retry every action of stage Deploy/);
    expect(confirmationFor({ kind: "rollback-stage", stageName: "Deploy", targetExecutionId: E }, ctx).message).toMatch(
      /^Roll stage Deploy of web-app-deploy back to execution 1a2b3c4d\?/,
    );
    expect(confirmationFor({ kind: "disable-transition", stageName: "Deploy", reason: "freeze" }, ctx)).toMatchObject({
      destructive: true,
      message: expect.stringMatching(/^Disable the transition into Deploy of web-app-deploy\?/) as unknown,
    });
    expect(
      confirmationFor(
        { kind: "override-condition", stageName: "Deploy", executionId: E, conditionType: "BEFORE_ENTRY" },
        ctx,
      ).message,
    ).toMatch(/entry condition of stage Deploy for execution 1a2b3c4d/);
  });

  it("names the chosen commit of a release, or the latest source", () => {
    const ctx = { pipelineName: "web-app-deploy" };
    expect(confirmationFor({ kind: "start-execution", sourceRevisions: [], variables: [] }, ctx).message).toBe(
      "Start an execution of web-app-deploy with the latest source revision?",
    );
    expect(
      confirmationFor(
        {
          kind: "start-execution",
          sourceRevisions: [{ actionName: "Source", revisionValue: "0123456789abcdef0123456789abcdef01234567" }],
          variables: [],
        },
        ctx,
      ).message,
    ).toBe("Start an execution of web-app-deploy with Source at 0123456789ab?");
  });
});
