import type { GraphStage } from "@/lib/pipelines/graph";
import { providerTakesCommit } from "@/lib/pipelines/commit-start";
import type { PipelineRights, Right, StageCommandKind } from "./contract";

// Which control buttons a page shows: only where CodePipeline would accept the command now (from the
// stored state), and only to a viewer the policy allows (PipelineRights). A viewer without the right sees
// no button, as GitHub hides what a reader cannot do; the approval panel is the one place a reason shows.

export type StageControl =
  | { kind: "retry-stage"; stageName: string; executionId: string }
  | { kind: "stop-execution"; stageName: string; executionId: string; inProgressActions: number }
  | { kind: "disable-transition"; stageName: string }
  | { kind: "enable-transition"; stageName: string; reason: string | null }
  | { kind: "rollback-stage"; stageName: string; currentExecutionId: string | null; targets: RollbackTarget[] }
  | {
      kind: "override-condition";
      stageName: string;
      executionId: string;
      conditionType: "BEFORE_ENTRY" | "ON_SUCCESS";
    };

export type RollbackTarget = { executionId: string; label: string };

export type StageControlInput = {
  stage: GraphStage;
  pipelineType: string | null;
  /** Executions that succeeded as a whole, newest first: each passed every stage, so each is a valid target. */
  succeeded: RollbackTarget[];
};

const RETRYABLE = new Set(["Failed", "Stopped"]);
const OVERRIDABLE = new Set(["BEFORE_ENTRY", "ON_SUCCESS"]);

const allowed = (right: Right | undefined): boolean => right?.allowed === true;

/** Every command the stage's state permits, before rights (exported for its tests). */
export function possibleStageControls({ stage, pipelineType, succeeded }: StageControlInput): StageControl[] {
  const out: StageControl[] = [];
  const actions = stage.groups.flat();
  if (stage.executionId && stage.status && RETRYABLE.has(stage.status))
    out.push({ kind: "retry-stage", stageName: stage.name, executionId: stage.executionId });
  if (stage.executionId && stage.status === "InProgress")
    out.push({
      kind: "stop-execution",
      stageName: stage.name,
      executionId: stage.executionId,
      inProgressActions: actions.filter((a) => a.status === "InProgress").length,
    });
  if (stage.transition?.enabled === true) out.push({ kind: "disable-transition", stageName: stage.name });
  if (stage.transition?.enabled === false)
    out.push({ kind: "enable-transition", stageName: stage.name, reason: stage.transition.reason });
  // RollbackStage exists for V2 pipelines only, and not while the stage runs.
  if (pipelineType === "V2" && stage.status !== "InProgress") {
    const targets = succeeded.filter((t) => t.executionId !== stage.executionId);
    if (targets.length > 0)
      out.push({ kind: "rollback-stage", stageName: stage.name, currentExecutionId: stage.executionId, targets });
  }
  const executionId = stage.executionId ?? stage.waiting[0]?.executionId ?? null;
  for (const condition of stage.conditions)
    if (executionId && OVERRIDABLE.has(condition.kind) && condition.status === "InProgress")
      out.push({
        kind: "override-condition",
        stageName: stage.name,
        executionId,
        conditionType: condition.kind as "BEFORE_ENTRY" | "ON_SUCCESS",
      });
  return out;
}

/** The right for a command at a stage: the stage's own policy where it has one, else the pipeline's. */
export function rightAt(rights: PipelineRights, stageName: string, kind: StageControl["kind"]): Right | undefined {
  const stage = kind === "stop-execution" ? undefined : rights.stages?.[stageName];
  return (
    (stage as Partial<Record<StageCommandKind, Right>> | undefined)?.[kind as StageCommandKind] ?? rights.commands[kind]
  );
}

/** What the page shows at a stage: possible now, and allowed by the policy; nothing while rights are loading. */
export function stageControls(input: StageControlInput, rights: PipelineRights | null | undefined): StageControl[] {
  if (!rights || rights.readOnlyInstance) return [];
  return possibleStageControls(input).filter((control) => allowed(rightAt(rights, input.stage.name, control.kind)));
}

/** "Release change" on a pipeline: always possible in CodePipeline; chosen commits and variables need V2. */
export type ReleaseControl = {
  kind: "start-execution";
  /** Source actions whose revision can be chosen (V2 only, sourceRevisions). */
  sourceActions: string[];
  variables: { name: string; defaultValue: string | null }[];
  v2: boolean;
};

export function releaseControl(
  input: {
    pipelineType: string | null;
    graph: GraphStage[];
    variables: { name: string; defaultValue: string | null }[];
  },
  rights: PipelineRights | null | undefined,
): ReleaseControl | null {
  if (!rights || rights.readOnlyInstance || !allowed(rights.commands["start-execution"])) return null;
  const v2 = input.pipelineType === "V2";
  const sourceActions = input.graph.flatMap((stage) =>
    stage.groups
      .flat()
      // Only sources that can start a chosen commit are offered one (lib/pipelines/commit-start.ts).
      .filter((a) => a.category === "Source" && providerTakesCommit(a.provider))
      .map((a) => a.name),
  );
  return { kind: "start-execution", v2, sourceActions: v2 ? sourceActions : [], variables: v2 ? input.variables : [] };
}

/** On an execution's own page: stop while it runs (only abandon once it is already stopping). */
export type ExecutionStopControl = {
  kind: "stop-execution";
  executionId: string;
  inProgressActions: number;
  abandonOnly: boolean;
};

export function executionStopControl(
  input: { executionId: string; status: string; inProgressActions: number },
  rights: PipelineRights | null | undefined,
): ExecutionStopControl | null {
  if (!rights || rights.readOnlyInstance || !allowed(rights.commands["stop-execution"])) return null;
  if (input.status !== "InProgress" && input.status !== "Stopping") return null;
  return {
    kind: "stop-execution",
    executionId: input.executionId,
    inProgressActions: input.inProgressActions,
    abandonOnly: input.status === "Stopping",
  };
}
