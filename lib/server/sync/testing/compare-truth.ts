// Compares what Postgres holds with the sandbox's ground truth (GET /_sandbox/truth): executions, stage
// executions, action executions and rule executions, field by field. Used by the tests and by bench/sync.ts.
import "server-only";
import type { Db } from "@/lib/server/db/client";

/** An action or rule execution as the sandbox records it. */
interface TruthRun {
  id: string;
  name: string;
  status: string;
  start: number;
  updated: number;
}
interface TruthStage {
  name: string;
  status: string;
  type: string;
  start: number;
  end: number | null;
  actions: TruthRun[];
  rules: TruthRun[];
}
interface TruthExecution {
  id: string;
  status: string;
  type: string;
  start: number;
  updated: number;
  stages: TruthStage[];
}
export interface Truth {
  now: number;
  pipelines: { name: string; version: number; conditions: boolean; executions: TruthExecution[] }[];
}

export interface Comparison {
  executions: number;
  /** Rule executions in the truth that were compared. */
  rules: number;
  mismatches: number;
  /** The first few differences, for a readable failure. */
  samples: string[];
}

export async function fetchTruth(sandboxUrl: string, pipeline?: string): Promise<Truth> {
  const query = pipeline ? `?pipeline=${encodeURIComponent(pipeline)}` : "";
  const res = await fetch(`${sandboxUrl}/_sandbox/truth${query}`);
  return (await res.json()) as Truth;
}

/** `exactCount: false` checks only the executions in `truth` (when it is a subset, e.g. finished ones). */
export async function compareWithTruth(
  db: Db,
  targetId: string,
  truth: Truth,
  options: { exactCount?: boolean } = {},
): Promise<Comparison> {
  const out: Comparison = { executions: 0, rules: 0, mismatches: 0, samples: [] };
  const miss = (text: string) => {
    out.mismatches++;
    if (out.samples.length < 10) out.samples.push(text);
  };
  for (const tp of truth.pipelines) {
    const pipeline = await db.pipeline.findUnique({
      where: { targetId_name: { targetId, name: tp.name } },
      select: { id: true },
    });
    if (!pipeline) {
      miss(`${tp.name}: pipeline missing`);
      continue;
    }
    const rows = await db.execution.findMany({
      where: { pipelineId: pipeline.id },
      include: { stageExecutions: true, actionExecutions: true, ruleExecutions: true },
    });
    const byId = new Map(rows.map((r) => [r.executionId, r]));
    if (options.exactCount !== false && rows.length !== tp.executions.length)
      miss(`${tp.name}: ${rows.length} executions stored, ${tp.executions.length} in truth`);
    for (const te of tp.executions) {
      out.executions++;
      const row = byId.get(te.id);
      if (!row) {
        miss(`${tp.name}/${te.id}: execution missing`);
        continue;
      }
      if (row.status !== te.status) miss(`${tp.name}/${te.id}: status ${row.status} != ${te.status}`);
      if (row.startTime.getTime() !== te.start) miss(`${tp.name}/${te.id}: start differs`);
      if (row.lastUpdateTime.getTime() !== te.updated)
        miss(`${tp.name}/${te.id}: lastUpdate ${row.lastUpdateTime.getTime()} != ${te.updated}`);
      const stages = new Map(row.stageExecutions.map((s) => [s.stageName, s]));
      const lastRun = new Map(te.stages.map((s) => [s.name, s]));
      for (const ts of lastRun.values()) {
        const stage = stages.get(ts.name);
        if (!stage) miss(`${tp.name}/${te.id}/${ts.name}: stage missing`);
        else if (stage.status !== ts.status)
          miss(`${tp.name}/${te.id}/${ts.name}: stage ${stage.status} != ${ts.status}`);
      }
      const where = `${tp.name}/${te.id}`;
      compareRuns(
        "action",
        where,
        new Map(row.actionExecutions.map((a) => [a.actionExecutionId, a])),
        te.stages.flatMap((s) => s.actions),
        miss,
      );
      const truthRules = te.stages.flatMap((s) => s.rules);
      out.rules += truthRules.length;
      compareRuns("rule", where, new Map(row.ruleExecutions.map((r) => [r.ruleExecutionId, r])), truthRules, miss);
    }
  }
  return out;
}

interface StoredRun {
  status: string;
  startTime: Date | null;
  lastUpdateTime: Date | null;
}

/** Action or rule executions of one execution: same count, and each with AWS's status, start and last update. */
function compareRuns(
  kind: "action" | "rule",
  where: string,
  stored: Map<string, StoredRun>,
  truth: TruthRun[],
  miss: (text: string) => void,
): void {
  if (stored.size !== truth.length) miss(`${where}: ${stored.size} ${kind}s stored, ${truth.length} in truth`);
  for (const t of truth) {
    const run = stored.get(t.id);
    if (!run) miss(`${where}/${t.name}: ${kind} ${t.id} missing`);
    else if (
      run.status !== t.status ||
      run.startTime?.getTime() !== t.start ||
      run.lastUpdateTime?.getTime() !== t.updated
    )
      miss(`${where}/${t.name}: ${kind} ${run.status}@${run.lastUpdateTime?.getTime()} != ${t.status}@${t.updated}`);
  }
}
