import type { ApprovalFacts, ExecutionFacts, StageFacts } from "@/lib/server/writeback/execution-facts";

// Builders of execution facts for the mapping's tests: a three-stage pipeline (Source, Build, Prod with a manual
// approval) whose execution the test moves through its life by overriding what changes.

export const SHA = "0123456789abcdef0123456789abcdef01234567";
export const T0 = new Date("2026-12-01T10:00:00.000Z");
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export function stage(name: string, status: string | null, from?: number, to?: number): StageFacts {
  return {
    name,
    status,
    startTime: from === undefined ? null : at(from),
    endTime: to === undefined ? null : at(to),
    environmentUrl: null,
  };
}

export function approval(overrides: Partial<ApprovalFacts> = {}): ApprovalFacts {
  return {
    stageName: "Prod",
    actionName: "Approve",
    status: "Pending",
    requestedAt: at(120),
    expiresAt: at(120 + 7 * 86_400),
    decidedAt: null,
    decider: null,
    ...overrides,
  };
}

export function executionFacts(overrides: Partial<ExecutionFacts> = {}): ExecutionFacts {
  return {
    pipeline: { id: "p1", name: "web-app" },
    repository: "acme/web-app",
    executionId: "11111111-2222-3333-4444-555555555555",
    status: "InProgress",
    statusSummary: null,
    commitSha: SHA,
    branch: "main",
    startTime: T0,
    lastUpdateTime: at(30),
    triggerType: "Webhook",
    triggerDetail: null,
    startedBy: null,
    stages: [stage("Source", "Succeeded", 0, 4), stage("Build", "InProgress", 5), stage("Prod", null)],
    failedActions: [],
    approvals: [],
    supersededBy: null,
    ...overrides,
  };
}
