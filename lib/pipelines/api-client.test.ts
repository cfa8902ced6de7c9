import { describe, expect, it } from "vitest";
import { reviveDates } from "./api-client";

describe("reviveDates", () => {
  it("gives back the Dates a server render holds, and leaves other text alone", () => {
    const original = {
      startTime: new Date("2026-06-01T12:00:00.000Z"),
      stateFetchedAt: null,
      commitMessage: "2026-06-01T12:00:00.000Z",
      stages: [{ lastStatusChange: "2026-06-01T11:00:00.000Z", endTime: new Date("2026-06-01T12:30:00.000Z") }],
      latestStartTime: "not a date",
    };
    const parsed = JSON.parse(JSON.stringify(original), reviveDates) as unknown;
    expect(parsed).toEqual(original);
  });
});
