import { CONTROL_COMMANDS, policyOverrideSchema, type ControlCommand, type PolicyOverride } from "@/lib/config/policy";
import { z } from "zod";
import type { FormResult } from "./command-forms";

// The settings form holds one level's overrides as strings: "" inherits from the level above, anything
// else sets the value at this level. Turned into the stored shape with the schema the server uses.

export type PolicyFormValues = {
  minPermission: string;
  /** "" inherit, "on" / "off" */
  preventSelfApproval: string;
  requireApproveComment: string;
  requiredApprovals: string;
  /** Null: inherit; otherwise comma- or space-separated `org/team` slugs (empty: no team required). */
  requiredTeams: string | null;
  commands: Record<ControlCommand, string>;
};

const onOff = (value: boolean | undefined) => (value === undefined ? "" : value ? "on" : "off");

export function policyFormFromOverride(override: PolicyOverride | null | undefined): PolicyFormValues {
  const a = override?.approvals ?? {};
  const c = override?.commands ?? {};
  return {
    minPermission: a.minPermission ?? "",
    preventSelfApproval: onOff(a.preventSelfApproval),
    requireApproveComment: onOff(a.requireApproveComment),
    requiredApprovals: a.requiredApprovals === undefined ? "" : String(a.requiredApprovals),
    requiredTeams: a.requiredTeams === undefined ? null : a.requiredTeams.join(", "),
    commands: Object.fromEntries(CONTROL_COMMANDS.map((k) => [k, c[k] ?? ""])) as Record<ControlCommand, string>,
  };
}

const FIELD_NAMES: Record<string, string> = {
  minPermission: "Minimum permission",
  requiredTeams: "Required teams",
  requiredApprovals: "Required approvals",
};

export function overrideFromPolicyForm(values: PolicyFormValues): FormResult<PolicyOverride> {
  const approvals: Record<string, unknown> = {};
  if (values.minPermission) approvals.minPermission = values.minPermission;
  if (values.preventSelfApproval) approvals.preventSelfApproval = values.preventSelfApproval === "on";
  if (values.requireApproveComment) approvals.requireApproveComment = values.requireApproveComment === "on";
  if (values.requiredApprovals) approvals.requiredApprovals = Number(values.requiredApprovals);
  if (values.requiredTeams !== null)
    approvals.requiredTeams = values.requiredTeams
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter(Boolean);
  const commands = Object.fromEntries(Object.entries(values.commands).filter(([, v]) => v !== ""));
  const candidate = {
    ...(Object.keys(approvals).length ? { approvals } : {}),
    ...(Object.keys(commands).length ? { commands } : {}),
  };
  const parsed = policyOverrideSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[1] ?? issue.path[0] ?? "form");
    errors[field] ??= `${FIELD_NAMES[field] ?? field}: ${issue.message}`;
  }
  return { ok: false, errors };
}

/** The settings page's level: a pipeline of the repository, and optionally one of its stages. */
export const policySettingsQuerySchema = z.object({
  pipeline: z
    .string()
    .max(64)
    .regex(/^[\w-]*$/)
    .optional(),
  stage: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9.@_-]*$/)
    .optional(),
});
