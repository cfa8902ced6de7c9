import { describe, expect, it } from "vitest";
import { auditActionLabel, auditWhere, describeParameters } from "./audit-text";

describe("audit text", () => {
  it("words parameters as key=value pairs, leaving out empty ones, and cuts long ones", () => {
    expect(describeParameters({ retryMode: "FAILED_ACTIONS", abandon: false, reason: "", variables: [] })).toBe(
      "retryMode=FAILED_ACTIONS, abandon=false",
    );
    expect(describeParameters({ sourceRevisions: [{ actionName: "Source", revisionValue: "abc1234" }] })).toBe(
      'sourceRevisions=[{"actionName":"Source","revisionValue":"abc1234"}]',
    );
    expect(describeParameters(null)).toBe("");
    const long = describeParameters({ reason: "x".repeat(1000) });
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });

  it("names actions in words, and an unknown one as stored", () => {
    expect(auditActionLabel("start-execution")).toBe("Release change");
    expect(auditActionLabel("something-new")).toBe("something-new");
  });

  it("says where: pipeline, stage, action and execution", () => {
    expect(
      auditWhere({
        repository: "acme/web-app",
        pipelineId: "p1",
        pipelineName: "web-app-deploy",
        stageName: "Deploy",
        actionName: "Approve",
        executionId: "1a2b3c4d-0000",
      }),
    ).toBe("web-app-deploy / Deploy / Approve · execution 1a2b3c4d");
    expect(
      auditWhere({
        repository: "acme/web-app",
        pipelineId: null,
        pipelineName: null,
        stageName: null,
        actionName: null,
        executionId: null,
      }),
    ).toBe("acme/web-app");
  });
});
