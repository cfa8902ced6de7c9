import type { ControlCommand, PolicyOverride } from "@/lib/config/policy";
import type { RepositoryPermission } from "./contract";

// The settings page shows each policy value with where it comes from: the built-in default, the instance's
// STAGEBOARD_POLICY (its top level, then its entry for the repository), then the overrides stored for the
// repository, the pipeline and the stage. Later levels win field by field, as the server evaluates them.

export type PolicySource = "default" | "instance" | "instance-repository" | "repository" | "pipeline" | "stage";

export const SOURCE_LABELS: Record<PolicySource, string> = {
  default: "Stageboard's default",
  instance: "this instance (STAGEBOARD_POLICY)",
  "instance-repository": "this instance's entry for the repository",
  repository: "the repository's settings",
  pipeline: "the pipeline's settings",
  stage: "the stage's settings",
};

export type PolicyValues = {
  approvals: {
    minPermission: RepositoryPermission;
    requiredTeams: string[];
    preventSelfApproval: boolean;
    requiredApprovals: number;
    requireApproveComment: boolean;
  };
  commands: Record<ControlCommand, RepositoryPermission>;
};

export type Explained<T> = { value: T; source: PolicySource };
export type ExplainedPolicy = {
  approvals: { [K in keyof PolicyValues["approvals"]]: Explained<PolicyValues["approvals"][K]> };
  commands: Record<ControlCommand, Explained<RepositoryPermission>>;
};

export type PolicyLevel = { source: Exclude<PolicySource, "default">; override: PolicyOverride | null | undefined };

function explainGroup<T extends object>(
  defaults: T,
  overrides: { source: PolicySource; values: Partial<T> | undefined }[],
) {
  const out = Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, { value: value as unknown, source: "default" }]),
  ) as Record<string, Explained<unknown>>;
  for (const { source, values } of overrides)
    for (const [key, value] of Object.entries(values ?? {}))
      if (value !== undefined && key in out) out[key] = { value, source };
  return out;
}

/** Each effective value with the level it comes from, the levels given from the instance down to the stage. */
export function explainPolicy(defaults: PolicyValues, levels: readonly PolicyLevel[]): ExplainedPolicy {
  const approvals = explainGroup<PolicyValues["approvals"]>(
    defaults.approvals,
    levels.map((l) => ({ source: l.source, values: l.override?.approvals })),
  );
  const commands = explainGroup<PolicyValues["commands"]>(
    defaults.commands,
    levels.map((l) => ({ source: l.source, values: l.override?.commands })),
  );
  return { approvals, commands } as unknown as ExplainedPolicy;
}
