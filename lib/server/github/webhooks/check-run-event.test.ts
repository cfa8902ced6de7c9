import { describe, expect, it, vi } from "vitest";
import { checkRunEvent } from "./check-run-event";
import { recordedFor, refusalFor, retriedFor } from "./click-outcome";

vi.mock("server-only", () => ({}));
const { requestedKind } = await import("./handle-check-run");

// What a check_run delivery says and what Stageboard makes of it, without a network (pure).
const SHA = "a".repeat(40);
const payload = (over: Record<string, unknown> = {}) => ({
  action: "requested_action",
  check_run: { id: 7, name: "Approval · web-app · Prod", head_sha: SHA, external_id: "exec-1", app: { id: 42 } },
  requested_action: { identifier: "approve" },
  repository: { full_name: "Acme/Web-App" },
  installation: { id: 9 },
  sender: { id: 1, login: "ada" },
  ...over,
});

describe("a check_run delivery", () => {
  it("is read into the run, its App, the button, the sender and the repository (lower-cased)", () => {
    expect(checkRunEvent(payload())).toEqual({
      kind: "event",
      event: {
        action: "requested_action",
        checkRunId: 7n,
        appId: 42,
        headSha: SHA,
        externalId: "exec-1",
        name: "Approval · web-app · Prod",
        identifier: "approve",
        sender: { githubId: 1n, login: "ada" },
        installationId: 9n,
        repository: "acme/web-app",
      },
    });
  });

  it("is not acted on for other actions or without what Stageboard needs", () => {
    expect(checkRunEvent(payload({ action: "completed" }))).toEqual({ kind: "ignored", reason: "check_run completed" });
    for (const over of [
      { sender: { id: "1", login: "ada" } },
      { sender: { id: 1, login: "../x" } },
      { repository: { full_name: "not a repository" } },
      { check_run: { id: 7, name: "x", head_sha: "short" } },
      { check_run: [] },
    ])
      expect(checkRunEvent(payload(over)).kind).toBe("ignored");
    // A re-run carries no button.
    const rerun = checkRunEvent(payload({ action: "rerequested" }));
    expect(rerun.kind === "event" && rerun.event.identifier).toBeNull();
  });

  it("asks a decision of an approval's run and a retry of an execution's run, nothing else", () => {
    const approvalRun = { kind: "check-run.approval" };
    const executionRun = { kind: "check-run.execution" };
    expect(requestedKind({ action: "requested_action", identifier: "reject" }, approvalRun)).toEqual({
      kind: "reject",
    });
    expect(requestedKind({ action: "requested_action", identifier: "deploy" }, approvalRun).kind).toBe("ignored");
    expect(requestedKind({ action: "rerequested", identifier: null }, approvalRun).kind).toBe("ignored");
    expect(requestedKind({ action: "rerequested", identifier: null }, executionRun)).toEqual({ kind: "retry" });
    expect(requestedKind({ action: "requested_action", identifier: "approve" }, executionRun).kind).toBe("ignored");
  });
});

describe("what the run says of a click", () => {
  it("names the clicker in place of the dashboard's 'you'", () => {
    expect(refusalFor("linus", "needs write on acme/web-app; you have read")).toBe(
      "@linus needs write on acme/web-app; they have read",
    );
    expect(refusalFor("ada", "you wrote a commit in this change (def5678)")).toBe(
      "@ada wrote a commit in this change (def5678)",
    );
    expect(refusalFor("ada", "you already approved; 1 more approval needed")).toBe(
      "@ada already approved; 1 more approval needed",
    );
    expect(refusalFor("ada", "this approval has expired")).toBe("@ada: this approval has expired");
    expect(recordedFor("ada", "Your approval is recorded; 1 more approval needed.")).toBe(
      "Approval by @ada on GitHub recorded; 1 more approval needed",
    );
    expect(retriedFor("ada", "Build")).toBe("Retried by @ada on GitHub: the failed actions of Build");
  });
});
