import { describe, expect, it } from "vitest";
import { DEFAULT_GATE_SETTINGS, gateSettingsRefusal, mergeGateSettings } from "./decide";

const ON = { ...DEFAULT_GATE_SETTINGS, enabled: true };
const READY = { appConfigured: true, commitStart: { ok: true as const } };

describe("a release gate change", () => {
  it("replaces the fields given and keeps the others, from the defaults when there is no gate yet", () => {
    expect(mergeGateSettings(null, { branches: ["main"] })).toEqual({ ...DEFAULT_GATE_SETTINGS, branches: ["main"] });
    const stored = { ...ON, checks: "named" as const, checkNames: ["build"], releaseOrder: "each" as const };
    expect(mergeGateSettings(stored, { enabled: false })).toEqual({ ...stored, enabled: false });
  });

  it("is refused without a GitHub App, or for a pipeline that cannot start a chosen commit, only when it enables", () => {
    expect(gateSettingsRefusal(ON, { ...READY, appConfigured: false })).toMatchObject({
      code: "unprocessable_entity",
      message: expect.stringContaining("needs Stageboard's GitHub App") as string,
    });
    expect(gateSettingsRefusal(ON, { ...READY, commitStart: { ok: false, reason: "it is a V1 pipeline" } })).toEqual({
      code: "unprocessable_entity",
      message: "This pipeline cannot be started at a chosen commit: it is a V1 pipeline",
    });
    expect(
      gateSettingsRefusal(DEFAULT_GATE_SETTINGS, { appConfigured: false, commitStart: { ok: false, reason: "x" } }),
    ).toBeNull();
    expect(gateSettingsRefusal(ON, READY)).toBeNull();
  });

  it("needs a name to wait for in named mode, on or off", () => {
    expect(gateSettingsRefusal({ ...DEFAULT_GATE_SETTINGS, checks: "named" }, READY)?.message).toBe(
      "Name at least one check for the gate to wait for",
    );
  });
});
