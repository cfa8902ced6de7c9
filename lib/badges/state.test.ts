import { describe, expect, it } from "vitest";
import { COUNTED_STATUSES, stateOf, stateOfRuns, worstState } from "./state";

const run = (status: string, pendingApproval = false) => ({ status, pendingApproval });

describe("a badge's state", () => {
  it("follows the latest counted run: passed, failed, running, or waiting for an approval", () => {
    expect(stateOf(run("Succeeded"))).toBe("passing");
    expect(stateOf(run("Failed"))).toBe("failing");
    expect(stateOf(run("InProgress"))).toBe("running");
    expect(stateOf(run("InProgress", true))).toBe("waiting");
    expect(stateOf(null)).toBe("unknown");
  });

  it("counts only runs that say something about the code", () => {
    expect(COUNTED_STATUSES).toEqual(["Succeeded", "Failed", "InProgress"]);
    for (const status of ["Stopped", "Stopping", "Superseded", "Cancelled", "Abandoned", "Skipped", "NewFromAws"])
      expect(stateOf(run(status)), status).toBe("unknown");
  });

  it("is the worst of several pipelines: failing, then waiting for approval, then running, then passing", () => {
    expect(worstState(["passing", "running", "failing", "waiting"])).toBe("failing");
    expect(worstState(["passing", "running", "waiting"])).toBe("waiting");
    expect(worstState(["running", "passing"])).toBe("running");
    expect(worstState(["passing", "passing"])).toBe("passing");
  });

  it("ignores pipelines with nothing counted, and is unknown when there is nothing at all", () => {
    expect(worstState(["unknown", "passing"])).toBe("passing");
    expect(worstState(["unknown"])).toBe("unknown");
    expect(worstState([])).toBe("unknown");
    expect(stateOfRuns([run("Succeeded"), run("InProgress", true)])).toBe("waiting");
    expect(stateOfRuns([])).toBe("unknown");
  });
});
