import { z } from "zod";
// Relative, not "@/": lib/config/schema.ts (loaded by next.config.mjs through jiti) imports this file.
import { COMMAND_KINDS, REPOSITORY_PERMISSIONS } from "../control/contract";

// The shape of an approval and command policy, as STAGEBOARD_POLICY gives the instance's defaults and as the
// settings page stores overrides per repository, pipeline and stage. Every field is optional: what is left
// out comes from the level above, and at the top from the defaults (lib/server/control/policy/).

const permission = z.enum(REPOSITORY_PERMISSIONS, {
  message: `must be one of ${REPOSITORY_PERMISSIONS.join(", ")}`,
});

const GITHUB_NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,98}";
export const TEAM_PATTERN = new RegExp(`^${GITHUB_NAME}/${GITHUB_NAME}$`);
const REPOSITORY_PATTERN = new RegExp(`^${GITHUB_NAME}/[A-Za-z0-9_.-]{1,100}$`);

/** The commands the command policy covers (approve and reject follow the approval policy). */
export const CONTROL_COMMANDS = COMMAND_KINDS.filter(
  (kind): kind is Exclude<(typeof COMMAND_KINDS)[number], "approve" | "reject"> =>
    kind !== "approve" && kind !== "reject",
);
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

export const approvalPolicySchema = z
  .object({
    minPermission: permission,
    /** `org/team` slugs; the approver must belong to any one of them. Empty: no team needed. */
    requiredTeams: z
      .array(z.string().regex(TEAM_PATTERN, "must be org/team, e.g. acme/release"))
      .max(20, "at most 20 teams"),
    preventSelfApproval: z.boolean(),
    requiredApprovals: z.number().int().min(1, "at least 1").max(10, "at most 10"),
    requireApproveComment: z.boolean(),
  })
  .partial()
  .strict();
export type ApprovalPolicyOverride = z.infer<typeof approvalPolicySchema>;

export const commandPolicySchema = z
  .object(
    Object.fromEntries(CONTROL_COMMANDS.map((kind) => [kind, permission])) as Record<ControlCommand, typeof permission>,
  )
  .partial()
  .strict();
export type CommandPolicyOverride = z.infer<typeof commandPolicySchema>;

/** One level's overrides: a repository, a pipeline or a stage (stored) or a repository (STAGEBOARD_POLICY). */
export const policyOverrideSchema = z
  .object({ approvals: approvalPolicySchema.optional(), commands: commandPolicySchema.optional() })
  .strict();
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

/** STAGEBOARD_POLICY: the instance's defaults, plus overrides per repository (`owner/name`). */
export const instancePolicySchema = policyOverrideSchema
  .extend({
    repositories: z
      .record(z.string().regex(REPOSITORY_PATTERN, "keys must be owner/name"), policyOverrideSchema)
      .optional(),
  })
  .strict();
export type InstancePolicy = z.infer<typeof instancePolicySchema>;
