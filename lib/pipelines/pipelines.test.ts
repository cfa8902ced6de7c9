import { describe, expect, it } from "vitest";
import { attentionReasons, compareByAttention, type Rankable } from "./attention";
import { decodeCursor, encodeCursor } from "./cursor";
import { historyFiltersSchema, overviewFiltersSchema } from "./schemas";
import { statusLabel, statusTone } from "./status";

describe("attention", () => {
  it("lists every reason, most severe first", () => {
    expect(
      attentionReasons({ latestStatus: "Failed", pendingApprovals: 1, disabledTransitions: 2, syncStale: true }),
    ).toEqual(["failed", "approval", "transition-disabled", "sync-stale"]);
    expect(
      attentionReasons({ latestStatus: "Succeeded", pendingApprovals: 0, disabledTransitions: 0, syncStale: false }),
    ).toEqual([]);
  });

  it("orders attention first, then by recency, then by name", () => {
    const rows: Rankable[] = [
      { name: "quiet-old", attention: [], latestStartTime: "2026-01-01T00:00:00Z" },
      { name: "quiet-new", attention: [], latestStartTime: "2026-01-03T00:00:00Z" },
      { name: "stale", attention: ["sync-stale"], latestStartTime: "2026-01-04T00:00:00Z" },
      { name: "failed", attention: ["failed"], latestStartTime: "2026-01-02T00:00:00Z" },
      { name: "never-ran", attention: [], latestStartTime: null },
      { name: "approval", attention: ["approval", "sync-stale"], latestStartTime: null },
    ];
    expect(rows.sort(compareByAttention).map((r) => r.name)).toEqual([
      "failed",
      "approval",
      "stale",
      "quiet-new",
      "quiet-old",
      "never-ran",
    ]);
  });
});

describe("cursor", () => {
  it("round-trips", () => {
    const cursor = { startTime: new Date("2026-03-04T05:06:07.089Z"), id: "cm0abc123" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });
  it("treats garbage as the first page", () => {
    for (const bad of [
      "",
      "%%%",
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from('["x","id"]').toString("base64url"),
      Buffer.from('["2026-01-01T00:00:00Z","a b;drop"]').toString("base64url"),
    ]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe("filters", () => {
  it("ignores unknown overview statuses instead of failing the page", () => {
    expect(overviewFiltersSchema.parse({ status: "bogus", q: "  web " })).toEqual({ status: undefined, q: "web" });
  });
  it("accepts only hex commit prefixes", () => {
    expect(historyFiltersSchema.parse({ commit: "ABC123" }).commit).toBe("abc123");
    expect(historyFiltersSchema.parse({ commit: "abc' OR 1=1" }).commit).toBeUndefined();
  });
});

describe("status", () => {
  it("labels and tones known and unknown values", () => {
    expect(statusLabel("InProgress")).toBe("In progress");
    expect(statusLabel("QUEUED")).toBe("Queued");
    expect(statusLabel(null)).toBe("No runs");
    expect(statusTone("Failed")).toBe("failure");
    expect(statusTone("SomethingNew")).toBe("neutral");
  });
});
