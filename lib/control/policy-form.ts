import { CONTROL_COMMANDS, policyOverrideSchema, type ControlCommand, type PolicyOverride } from "@/lib/config/policy";
import { z } from "zod";
import type { FormResult } from "./command-forms";

// The settings form holds one level's overrides as strings: "" inherits from the level above, anything
// else sets the value at this level. Turned into the PUT body with the schema the route reads it with.

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

// A level is named the same way in the settings page's address (?pipeline=&stage=) and in the PUT body.
const pipelineIdSchema = z
  .string()
  .max(64)
  .regex(/^[\w-]*$/);
const stageNameSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9.@_-]*$/);

/** The settings page's level: a pipeline of the repository, and optionally one of its stages. */
export const policySettingsQuerySchema = z.object({
  pipeline: pipelineIdSchema.optional(),
  stage: stageNameSchema.optional(),
});

/** The body of PUT /api/repositories/[owner]/[name]/policy: one level and its override (the form's, the route's). */
export const policyUpdateSchema = z.object({
  pipelineId: pipelineIdSchema.nullish(),
  stageName: stageNameSchema.min(1).nullish(),
  override: policyOverrideSchema,
});
export type PolicyUpdateBody = z.infer<typeof policyUpdateSchema>;

/** The form's values at `level` as the body the route takes, checked with the route's own schema. */
export function policyUpdateFromForm(
  level: { pipelineId: string | null; stageName: string | null },
  values: PolicyFormValues,
): FormResult<PolicyUpdateBody> {
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
  const override = {
    ...(Object.keys(approvals).length ? { approvals } : {}),
    ...(Object.keys(commands).length ? { commands } : {}),
  };
  const parsed = policyUpdateSchema.safeParse({ pipelineId: level.pipelineId, stageName: level.stageName, override });
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    // ["override", "approvals", "requiredTeams", 0] belongs to the teams field; a bad level to the form.
    const field = issue.path[0] === "override" ? String(issue.path[2] ?? issue.path[1] ?? "form") : "form";
    errors[field] ??= `${FIELD_NAMES[field] ?? field}: ${issue.message}`;
  }
  return { ok: false, errors };
}
