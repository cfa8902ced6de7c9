import "server-only";
import type { ControlCommand, InstancePolicy, PolicyOverride } from "@/lib/config/policy";
import type { RepositoryPermission } from "@/lib/control/contract";

// The effective policy of one stage: the defaults, then STAGEBOARD_POLICY's instance level, its entry
// for the repository, and the overrides stored for the repository, the pipeline and the stage, each level
// replacing only the fields it sets. Pure: callers read the levels (stored.ts) and pass them in.

export interface ApprovalPolicy {
  minPermission: RepositoryPermission;
  requiredTeams: string[];
  preventSelfApproval: boolean;
  requiredApprovals: number;
  requireApproveComment: boolean;
}

export interface Policy {
  approvals: ApprovalPolicy;
  commands: Record<ControlCommand, RepositoryPermission>;
}

export const DEFAULT_POLICY: Policy = {
  approvals: {
    minPermission: "write",
    requiredTeams: [],
    preventSelfApproval: true,
    requiredApprovals: 1,
    requireApproveComment: false,
  },
  commands: {
    "retry-stage": "write",
    "stop-execution": "write",
    "start-execution": "write",
    "disable-transition": "maintain",
    "enable-transition": "maintain",
    "rollback-stage": "maintain",
    "override-condition": "admin",
  },
};

const defined = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Applies `levels` in order (later wins, field by field) on top of `base`. */
export function mergePolicy(base: Policy, levels: readonly (PolicyOverride | null | undefined)[]): Policy {
  let policy = base;
  for (const level of levels) {
    if (!level) continue;
    policy = {
      approvals: { ...policy.approvals, ...defined(level.approvals) },
      commands: { ...policy.commands, ...defined(level.commands) },
    };
  }
  return policy;
}

export interface PolicyLevels {
  instance: InstancePolicy;
  /** The repository's name as the viewer's GitHub list shows it (lower-cased for the instance's entry). */
  repository: string | null;
  stored: { repository?: PolicyOverride | null; pipeline?: PolicyOverride | null; stage?: PolicyOverride | null };
}

/** The instance's level and its repository entry, without the stored overrides (what the settings page starts from). */
export function instanceLevels(instance: InstancePolicy, repository: string | null): PolicyOverride[] {
  const { repositories, ...top } = instance;
  const entry = repository
    ? Object.entries(repositories ?? {}).find(([name]) => name.toLowerCase() === repository.toLowerCase())?.[1]
    : undefined;
  return entry ? [top, entry] : [top];
}

export function effectivePolicy(levels: PolicyLevels): Policy {
  return mergePolicy(DEFAULT_POLICY, [
    ...instanceLevels(levels.instance, levels.repository),
    levels.stored.repository,
    levels.stored.pipeline,
    levels.stored.stage,
  ]);
}
