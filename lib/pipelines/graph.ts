// The stage/transition graph as the page draws it: stages left to right, each stage's actions grouped
// by run order (one group = actions that run side by side), and the inbound transition of each stage.
// It is built either from the live state snapshot (the pipeline now) or from one execution's stored
// stage/action runs (the graph as that execution ran).
import type { PipelineStateSnapshot } from "./state-snapshot";

export interface StageDefinitionInput {
  name: string;
  position: number;
  transitionEnabled: boolean;
  disabledReason: string | null;
  disabledBy: string | null;
  disabledAt: Date | string | null;
  actions: { name: string; category: string; provider: string; runOrder: number }[];
}

export interface ActionRunInput {
  executionId: string;
  stageName: string;
  actionName: string;
  status: string;
  startTime: Date | string | null;
  lastUpdateTime: Date | string | null;
  externalExecutionId: string | null;
  externalExecutionUrl: string | null;
  externalExecutionSummary: string | null;
  errorMessage: string | null;
}

export interface StageRunInput {
  stageName: string;
  status: string;
}

export interface GraphAction {
  name: string;
  category: string;
  provider: string;
  status: string | null;
  startTime: string | null;
  endTime: string | null;
  summary: string | null;
  errorMessage: string | null;
  externalId: string | null;
  externalUrl: string | null;
  attempts: number;
}

export interface WaitingExecution {
  executionId: string;
  status: string;
  heldByTransition: boolean;
}

export interface GraphStage {
  name: string;
  status: string | null;
  executionId: string | null;
  /** Null for the first stage, which has no inbound transition. */
  transition: { enabled: boolean; reason: string | null; by: string | null; at: string | null } | null;
  waiting: WaitingExecution[];
  conditions: { kind: string; status: string | null; summary: string | null }[];
  groups: GraphAction[][];
}

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);
const FINAL = new Set(["Succeeded", "Failed", "Stopped", "Abandoned", "Cancelled"]);

/** Latest attempt of each action (by start time), with how many attempts there were. */
function latestRuns(runs: readonly ActionRunInput[]): Map<string, { run: ActionRunInput; attempts: number }> {
  const out = new Map<string, { run: ActionRunInput; attempts: number }>();
  for (const run of runs) {
    const key = `${run.executionId}\u0000${run.stageName}\u0000${run.actionName}`;
    const seen = out.get(key);
    const newer = !seen || (iso(run.startTime) ?? "") >= (iso(seen.run.startTime) ?? "");
    out.set(key, { run: newer ? run : seen.run, attempts: (seen?.attempts ?? 0) + 1 });
  }
  return out;
}

function groupByRunOrder(actions: (GraphAction & { runOrder: number })[]): GraphAction[][] {
  const orders = [...new Set(actions.map((a) => a.runOrder))].sort((a, b) => a - b);
  return orders.map((order) => actions.filter((a) => a.runOrder === order).map(({ runOrder: _, ...action }) => action));
}

function transitionOf(stage: StageDefinitionInput, index: number): GraphStage["transition"] {
  if (index === 0) return null;
  return {
    enabled: stage.transitionEnabled,
    reason: stage.disabledReason,
    by: stage.disabledBy,
    at: iso(stage.disabledAt),
  };
}

export interface GraphInput {
  stages: readonly StageDefinitionInput[];
  /** Live view: the state snapshot plus the action runs of the executions it names (for durations). */
  snapshot?: PipelineStateSnapshot | null;
  /** Historical view: one execution's stage and action runs. */
  execution?: { executionId: string; stageRuns: readonly StageRunInput[] } | null;
  actionRuns: readonly ActionRunInput[];
}

export function buildStageGraph(input: GraphInput): GraphStage[] {
  const runs = latestRuns(input.actionRuns);
  const stages = [...input.stages].sort((a, b) => a.position - b.position);
  return stages.map((stage, index) => {
    const live = input.execution ? undefined : input.snapshot?.stages.find((s) => s.name === stage.name);
    const stageRun = input.execution?.stageRuns.find((s) => s.stageName === stage.name);
    const executionId = input.execution
      ? stageRun
        ? input.execution.executionId
        : null
      : (live?.latestExecution?.executionId ?? null);
    const transition = transitionOf(stage, index);
    const actions = stage.actions.map((def) => {
      const liveAction = live?.actions.find((a) => a.name === def.name);
      const stored = executionId ? runs.get(`${executionId}\u0000${stage.name}\u0000${def.name}`) : undefined;
      const status = input.execution
        ? (stored?.run.status ?? null)
        : (liveAction?.status ?? stored?.run.status ?? null);
      const running = status !== null && !FINAL.has(status);
      return {
        name: def.name,
        category: def.category,
        provider: def.provider,
        runOrder: def.runOrder,
        status,
        startTime: iso(stored?.run.startTime),
        endTime: running ? null : iso(stored?.run.lastUpdateTime ?? liveAction?.lastStatusChange),
        summary: stored?.run.externalExecutionSummary ?? liveAction?.summary ?? null,
        errorMessage: stored?.run.errorMessage ?? liveAction?.errorMessage ?? null,
        externalId: stored?.run.externalExecutionId ?? liveAction?.externalExecutionId ?? null,
        externalUrl: stored?.run.externalExecutionUrl ?? liveAction?.externalExecutionUrl ?? null,
        attempts: stored?.attempts ?? 0,
      };
    });
    const waiting = (live?.inboundExecutions ?? []).map((e) => ({
      executionId: e.executionId,
      status: e.status,
      heldByTransition: transition !== null && !transition.enabled,
    }));
    return {
      name: stage.name,
      status: input.execution ? (stageRun?.status ?? null) : (live?.latestExecution?.status ?? null),
      executionId,
      transition,
      waiting,
      conditions: (live?.conditions ?? []).map((c) => ({ kind: c.kind, status: c.status, summary: c.summary })),
      groups: groupByRunOrder(actions),
    };
  });
}

/** Execution ids whose latest action runs the live view needs (each stage's latest execution). */
export function snapshotExecutionIds(snapshot: PipelineStateSnapshot | null | undefined): string[] {
  return [
    ...new Set((snapshot?.stages ?? []).flatMap((s) => (s.latestExecution ? [s.latestExecution.executionId] : []))),
  ];
}
