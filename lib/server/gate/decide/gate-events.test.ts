import { describe, expect, it } from "vitest";
import { arrivedCommit, gateWatches, touchedCommit } from "./gate-events";

const SHA = "a".repeat(40);
const repository = { full_name: "Acme/Web-App" };

describe("arrivedCommit", () => {
  it("reads a push to a branch, with its head commit's time", () => {
    const push = {
      ref: "refs/heads/main",
      after: SHA.toUpperCase(),
      deleted: false,
      head_commit: { timestamp: "2026-12-03T10:00:00Z" },
      repository,
    };
    expect(arrivedCommit("push", push)).toEqual({
      repository: "acme/web-app",
      sha: SHA,
      branch: "main",
      committedAt: new Date("2026-12-03T10:00:00Z"),
    });
  });

  it("reads a check suite GitHub requested for a push, the witness of a lost push delivery", () => {
    const suite = { action: "requested", check_suite: { head_sha: SHA, head_branch: "main" }, repository };
    expect(arrivedCommit("check_suite", suite)).toMatchObject({ sha: SHA, branch: "main", committedAt: null });
  });

  it("starts no wait for tags, deleted branches, completed suites, statuses or check runs", () => {
    expect(arrivedCommit("push", { ref: "refs/tags/v1", after: SHA, repository })).toBeNull();
    expect(arrivedCommit("push", { ref: "refs/heads/x", after: "0".repeat(40), deleted: true, repository })).toBeNull();
    const completed = { action: "completed", check_suite: { head_sha: SHA, head_branch: "main" }, repository };
    expect(arrivedCommit("check_suite", completed)).toBeNull();
    expect(arrivedCommit("status", { sha: SHA, branches: [{ name: "main" }], repository })).toBeNull();
    expect(arrivedCommit("check_run", { check_run: { head_sha: SHA }, repository })).toBeNull();
    expect(arrivedCommit("push", { ref: "refs/heads/main", after: "not a sha", repository })).toBeNull();
  });
});

describe("touchedCommit", () => {
  it("names the commit and the App of a check run or suite, and the commit of a status", () => {
    expect(touchedCommit("check_run", { check_run: { head_sha: SHA, app: { id: 15368 } }, repository })).toEqual({
      repository: "acme/web-app",
      sha: SHA,
      appId: 15368,
    });
    expect(touchedCommit("check_suite", { check_suite: { head_sha: SHA, app: { id: 1 } }, repository })?.appId).toBe(1);
    expect(touchedCommit("status", { sha: SHA, repository })).toEqual({
      repository: "acme/web-app",
      sha: SHA,
      appId: null,
    });
  });

  it("ignores other events and payloads of another shape", () => {
    expect(touchedCommit("push", { after: SHA, repository })).toBeNull();
    expect(touchedCommit("status", { sha: 42, repository })).toBeNull();
    expect(touchedCommit("status", { sha: SHA, repository: { full_name: "../etc" } })).toBeNull();
  });
});

describe("gateWatches", () => {
  it("takes the gate's own branch patterns, else the pipeline's source branch", () => {
    expect(gateWatches({ branches: ["release/*"], sourceBranch: "main" }, "release/1")).toBe(true);
    expect(gateWatches({ branches: ["release/*"], sourceBranch: "main" }, "main")).toBe(false);
    expect(gateWatches({ branches: [], sourceBranch: "main" }, "main")).toBe(true);
    expect(gateWatches({ branches: [], sourceBranch: null }, "main")).toBe(false);
  });
});
