// The roles a caller may assume through STS and what each may do: IAM's evaluation reduced to what the sandbox
// needs. A request is allowed when one statement names its action and its resource (`*` and `?` wildcards, actions
// compared without case as IAM does, resources with case); there are no Deny statements and no conditions.

export interface RoleStatement {
  /** IAM actions, e.g. "codepipeline:PutApprovalResult" or "codepipeline:Get*". */
  actions: string[];
  /** Resource ARNs the actions apply to (default every resource, "*"). */
  resources?: string[];
}

export interface RoleConfig {
  /** arn:aws:iam::<account>:role/<path/>name */
  arn: string;
  statements: RoleStatement[];
  /** The role's MaxSessionDuration: 3,600 to 43,200 seconds (AWS's default, 3,600). */
  maxSessionSeconds?: number;
}

export const READ_ACTIONS = [
  "codepipeline:Get*",
  "codepipeline:List*",
  "codestar-connections:Get*",
  "codestar-connections:List*",
  "codeconnections:Get*",
  "codeconnections:List*",
];

/** What Stageboard's commands call: approvals, retries, stops, starts, transitions, rollbacks, condition overrides. */
export const CONTROL_ACTIONS = [
  "codepipeline:PutApprovalResult",
  "codepipeline:RetryStageExecution",
  "codepipeline:StopPipelineExecution",
  "codepipeline:StartPipelineExecution",
  "codepipeline:EnableStageTransition",
  "codepipeline:DisableStageTransition",
  "codepipeline:RollbackStage",
  "codepipeline:OverrideStageCondition",
];

export function roleArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/** StageboardRead (reads only) and StageboardControl (reads and the commands), on every pipeline. */
export function defaultRoles(account: string): RoleConfig[] {
  return [
    { arn: roleArn(account, "StageboardRead"), statements: [{ actions: READ_ACTIONS }] },
    { arn: roleArn(account, "StageboardControl"), statements: [{ actions: [...READ_ACTIONS, ...CONTROL_ACTIONS] }] },
  ];
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;

/** The role's name (the last part of its ARN), or undefined when the ARN is not a role's. */
export function roleNameOf(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[2];
}

/** Checks role configurations from options, a file or the control plane; throws with what is wrong. */
export function parseRoles(value: unknown): RoleConfig[] {
  if (!Array.isArray(value)) throw new Error("roles must be an array of { arn, statements, maxSessionSeconds? }");
  return value.map((raw: unknown, i) => {
    const role = raw as Partial<RoleConfig> | null;
    if (typeof role?.arn !== "string" || !roleNameOf(role.arn))
      throw new Error(`roles[${i}].arn must be a role ARN (arn:aws:iam::<12 digits>:role/<name>)`);
    if (!Array.isArray(role.statements)) throw new Error(`roles[${i}].statements must be an array`);
    const statements = role.statements.map((s: Partial<RoleStatement> | null, j) => {
      const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
      if (!strings(s?.actions)) throw new Error(`roles[${i}].statements[${j}].actions must be strings`);
      if (s?.resources !== undefined && !strings(s.resources))
        throw new Error(`roles[${i}].statements[${j}].resources must be strings`);
      return { actions: s?.actions ?? [], ...(s?.resources ? { resources: s.resources } : {}) };
    });
    const max = role.maxSessionSeconds;
    if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200))
      throw new Error(`roles[${i}].maxSessionSeconds must be an integer from 3600 to 43200`);
    return { arn: role.arn, statements, ...(max !== undefined ? { maxSessionSeconds: max } : {}) };
  });
}

function wildcard(pattern: string, flags: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, flags);
}

export function allows(role: RoleConfig, action: string, resource: string): boolean {
  return role.statements.some(
    (s) =>
      s.actions.some((a) => wildcard(a, "i").test(action)) &&
      (s.resources ?? ["*"]).some((r) => wildcard(r, "").test(resource)),
  );
}
