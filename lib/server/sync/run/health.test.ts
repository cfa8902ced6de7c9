import { describe, expect, it } from "vitest";
import { isTargetStale, QUIET_TARGET_MS } from "./health";

const now = Date.parse("2026-11-26T12:00:00Z");
const ago = (ms: number) => new Date(now - ms);

describe("isTargetStale", () => {
  it("calls a target never synced stale", () => {
    expect(isTargetStale({ lastSuccessAt: null, lastErrorAt: null }, now, 60_000)).toBe(true);
  });

  it("allows a failing target the failure allowance, then calls it stale", () => {
    expect(isTargetStale({ lastSuccessAt: ago(50_000), lastErrorAt: ago(1_000) }, now, 60_000)).toBe(false);
    expect(isTargetStale({ lastSuccessAt: ago(70_000), lastErrorAt: ago(1_000) }, now, 60_000)).toBe(true);
  });

  it("keeps a quiet, healthy target fresh between discovery rounds, but not once the engine has gone silent", () => {
    // Idle pipelines, or events making polling rare: minutes may pass without a call, and nothing failed.
    expect(isTargetStale({ lastSuccessAt: ago(8 * 60_000), lastErrorAt: ago(3_600_000) }, now, 60_000)).toBe(false);
    expect(isTargetStale({ lastSuccessAt: ago(QUIET_TARGET_MS + 1), lastErrorAt: null }, now, 60_000)).toBe(true);
  });
});
