// The buttons of a waiting approval's check run (pure). GitHub shows them on a completed run (the approval run waits
// as completed / action_required) and sends `check_run.requested_action` with the identifier when one is clicked.
// GitHub's own limits (label 20, description 40, identifier 20 characters, at most three) are checked here, since
// GitHub does not always check them itself and may fail the whole request instead.

export type CheckRunAction = { label: string; description: string; identifier: string };

export const ACTION_LIMITS = { label: 20, description: 40, identifier: 20, count: 3 } as const;

export const APPROVE_IDENTIFIER = "approve";
export const REJECT_IDENTIFIER = "reject";

export const APPROVAL_ACTIONS: readonly CheckRunAction[] = [
  { label: "Approve", description: "Let the pipeline go on past this stage", identifier: APPROVE_IDENTIFIER },
  { label: "Reject", description: "Fail this stage; the pipeline stops", identifier: REJECT_IDENTIFIER },
];

/** Why `actions` would not fit GitHub's limits, or null when they do. */
export function actionsProblem(actions: readonly CheckRunAction[]): string | null {
  if (actions.length > ACTION_LIMITS.count) return `at most ${ACTION_LIMITS.count} actions`;
  for (const action of actions)
    for (const key of ["label", "description", "identifier"] as const)
      if (action[key].length === 0 || action[key].length > ACTION_LIMITS[key])
        return `an action's ${key} must have 1 to ${ACTION_LIMITS[key]} characters`;
  return null;
}

/** The decision a button stands for, or null for an identifier Stageboard never offered. */
export function decisionOf(identifier: string | null): "approve" | "reject" | null {
  if (identifier === APPROVE_IDENTIFIER) return "approve";
  if (identifier === REJECT_IDENTIFIER) return "reject";
  return null;
}
