import type { GateSettings, GateSettingsUpdate } from "./schemas";

// The decisions behind PUT /api/pipelines/[id]/gate, pure: the settings a change leaves, and whether they may be
// saved. Enabling is refused when the gate could not release anything: without a GitHub App no check is read, and a
// pipeline that cannot start a chosen commit would start whatever its source's head is (or nothing).

/** A pipeline without a gate row: off, its source branch, every other check, only the newest green commit. */
export const DEFAULT_GATE_SETTINGS: GateSettings = {
  enabled: false,
  branches: [],
  checks: "all",
  checkNames: [],
  releaseOrder: "newest",
};

/** The settings after the change: given fields replace, the others stay as stored (or as the defaults). */
export function mergeGateSettings(before: GateSettings | null, change: GateSettingsUpdate): GateSettings {
  const base = before ?? DEFAULT_GATE_SETTINGS;
  const fields = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<GateSettings>;
  return { ...base, ...fields };
}

export type GateRefusal = { code: "unprocessable_entity"; message: string };

/** Why the settings cannot be saved, or null. Turning a gate off is always allowed. */
export function gateSettingsRefusal(
  after: GateSettings,
  context: { appConfigured: boolean; commitStart: { ok: true } | { ok: false; reason: string } },
): GateRefusal | null {
  if (after.checks === "named" && after.checkNames.length === 0)
    return { code: "unprocessable_entity", message: "Name at least one check for the gate to wait for" };
  if (!after.enabled) return null;
  if (!context.appConfigured)
    return {
      code: "unprocessable_entity",
      message:
        "The release gate needs Stageboard's GitHub App: without it Stageboard receives no check events and cannot read the commit's checks",
    };
  if (!context.commitStart.ok)
    return {
      code: "unprocessable_entity",
      message: `This pipeline cannot be started at a chosen commit: ${context.commitStart.reason}`,
    };
  return null;
}
