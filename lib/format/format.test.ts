import { describe, expect, it } from "vitest";
import { firstLine, shortSha } from "./commit";
import { formatDuration, spanMs } from "./duration";
import { formatRelative, formatTimestamp } from "./time";

describe("formatDuration", () => {
  it("picks a unit by size", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(42_400)).toBe("42s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(2 * 3600_000 + 7 * 60_000)).toBe("2h 07m");
    expect(formatDuration(76 * 3600_000)).toBe("3d 4h");
  });
  it("shows a dash for unknown and clamps negatives", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(-5)).toBe("0ms");
  });
});

describe("spanMs", () => {
  const now = new Date("2026-01-01T00:10:00Z");
  it("measures to the end, or to now while running", () => {
    expect(spanMs("2026-01-01T00:00:00Z", "2026-01-01T00:01:30Z", now)).toBe(90_000);
    expect(spanMs(new Date("2026-01-01T00:09:00Z"), null, now)).toBe(60_000);
    expect(spanMs(null, null, now)).toBeNull();
  });
});

describe("formatRelative / formatTimestamp", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  it("reads naturally", () => {
    expect(formatRelative(new Date("2026-01-01T11:57:00Z"), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date("2026-01-01T12:00:00Z"), now)).toBe("now");
    expect(formatRelative(new Date("2025-12-30T12:00:00Z"), now)).toBe("2 days ago");
    expect(formatRelative(null, now)).toBe("—");
  });
  it("prints UTC regardless of the machine's zone", () => {
    expect(formatTimestamp("2026-11-26T15:22:25Z")).toBe("26 Nov 2026, 15:22:25 UTC");
    expect(formatTimestamp("not a date")).toBe("—");
  });
});

describe("commit helpers", () => {
  it("shortens SHAs and leaves other revision ids readable", () => {
    expect(shortSha("A1B2C3D4E5F6A7B8C9D0A1B2C3D4E5F6A7B8C9D0")).toBe("a1b2c3d");
    expect(shortSha("s3-object-version-123456")).toBe("s3-object-ve");
    expect(shortSha(null)).toBe("");
  });
  it("keeps only the first line of a message", () => {
    expect(firstLine("Fix <b>bold</b> bug\n\nLonger body")).toBe("Fix <b>bold</b> bug");
    expect(firstLine("x".repeat(200), 10)).toBe("xxxxxxxxx…");
    expect(firstLine(undefined)).toBe("");
  });
});
