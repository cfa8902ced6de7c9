import { describe, expect, it } from "vitest";
import { contentWaitMs, waitForRoomMs } from "@/lib/server/writeback/content-budget";

const LIMITS = { perMinute: 3, perHour: 5 };
const NOW = 10 * 3_600_000;

describe("the content-creation budget's windows", () => {
  it("lets a request through while both windows have room", () => {
    expect(contentWaitMs([], NOW, LIMITS)).toBe(0);
    expect(contentWaitMs([NOW - 1000, NOW - 500], NOW, LIMITS)).toBe(0);
  });

  it("waits for the oldest request of a full minute to age out", () => {
    expect(contentWaitMs([NOW - 30_000, NOW - 20_000, NOW - 10_000], NOW, LIMITS)).toBe(30_000);
  });

  it("waits for the hour when the minute has room but the hour does not", () => {
    const hour = [NOW - 3_000_000, NOW - 2_000_000, NOW - 1_000_000, NOW - 900_000, NOW - 800_000];
    expect(contentWaitMs(hour, NOW, LIMITS)).toBe(600_000);
  });

  it("forgets requests older than the windows", () => {
    expect(
      contentWaitMs([NOW - 3_600_000, NOW - 3_700_000, NOW - 61_000, NOW - 62_000, NOW - 63_000], NOW, LIMITS),
    ).toBe(0);
  });

  it("with more than the limit counted (limits lowered), waits until enough of them aged out", () => {
    expect(contentWaitMs([NOW - 50_000, NOW - 40_000, NOW - 30_000, NOW - 20_000], NOW, LIMITS)).toBe(20_000);
  });

  it("decides from each window's decisive request alone, as the reservation reads it", () => {
    expect(waitForRoomMs({ minuteKth: null, hourKth: null }, NOW)).toBe(0);
    expect(waitForRoomMs({ minuteKth: NOW - 45_000, hourKth: null }, NOW)).toBe(15_000);
    expect(waitForRoomMs({ minuteKth: NOW - 45_000, hourKth: NOW - 3_000_000 }, NOW)).toBe(600_000);
    expect(waitForRoomMs({ minuteKth: NOW - 60_000, hourKth: NOW - 3_600_000 }, NOW)).toBe(0);
  });
});
