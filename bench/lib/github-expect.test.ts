import { describe, expect, it } from "vitest";
import { expectedCheck, expectedCommitState, lagsOf, minimumDrainMs, showsCheck } from "./github-expect";

describe("what GitHub should show", () => {
  it("a running execution has an open check run and a pending status; an ended one its conclusion", () => {
    expect(expectedCheck("InProgress")).toEqual({ status: "open", conclusion: null });
    expect(expectedCheck("Succeeded")).toEqual({ status: "completed", conclusion: "success" });
    expect(expectedCheck("Stopped")).toEqual({ status: "completed", conclusion: "cancelled" });
    expect(expectedCheck("Superseded")).toEqual({ status: "completed", conclusion: "neutral" });
    expect(expectedCommitState("InProgress")).toBe("pending");
    expect(expectedCommitState("Failed")).toBe("failure");
    expect(expectedCommitState("Superseded")).toBe("error");
  });

  it("an open run is queued or in progress; a completed one must have the same conclusion", () => {
    expect(showsCheck({ status: "queued", conclusion: null }, expectedCheck("InProgress"))).toBe(true);
    expect(showsCheck({ status: "completed", conclusion: "success" }, expectedCheck("InProgress"))).toBe(false);
    expect(showsCheck({ status: "completed", conclusion: "failure" }, expectedCheck("Succeeded"))).toBe(false);
    expect(showsCheck({ status: "completed", conclusion: "success" }, expectedCheck("Succeeded"))).toBe(true);
  });
});

describe("lag from a stored change to the stand-in", () => {
  const open = { status: "in_progress", conclusion: null };
  const done = { status: "completed", conclusion: "success" };
  it("takes the first later write that shows the change, a completion showing a start coalesced into it", () => {
    const { lags, unseen } = lagsOf(
      [
        { executionId: "a", at: 1_000, status: "InProgress" },
        { executionId: "a", at: 5_000, status: "Succeeded" },
        { executionId: "b", at: 2_000, status: "InProgress" },
        { executionId: "c", at: 2_000, status: "Failed" },
      ],
      [
        { externalId: "a", at: 900, ...open },
        { externalId: "a", at: 1_300, ...open },
        { externalId: "a", at: 5_200, ...done },
        { externalId: "b", at: 2_450, ...done },
        { externalId: "c", at: 2_100, ...done },
      ],
    );
    expect(lags).toEqual([300, 200, 450]);
    expect(unseen).toEqual([{ executionId: "c", at: 2_000, status: "Failed" }]);
  });
});

describe("the least drain time GitHub's windows allow", () => {
  it("sends a minute's worth at once, then one minute later each", () => {
    expect(minimumDrainMs(0, { perMinute: 80, perHour: 500 })).toBe(0);
    expect(minimumDrainMs(80, { perMinute: 80, perHour: 500 })).toBe(0);
    expect(minimumDrainMs(81, { perMinute: 80, perHour: 500 })).toBe(60_000);
    expect(minimumDrainMs(3_250, { perMinute: 640, perHour: 4_000 })).toBe(5 * 60_000);
  });

  it("waits for the hour once the hour's allowance is spent", () => {
    expect(minimumDrainMs(500, { perMinute: 80, perHour: 500 })).toBe(6 * 60_000);
    expect(minimumDrainMs(501, { perMinute: 80, perHour: 500 })).toBe(3_600_000);
  });
});
