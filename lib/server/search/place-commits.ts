import { defaultEnvironment } from "@/lib/server/writeback/settings/default-environments";

// The commit search's answer put together (pure): executions grouped by commit, each with how far it got,
// and per commit the stages whose latest execution is one of its executions, i.e. the stages running it now,
// with the GitHub environment each deploys to (the repository's write-back mapping, else the default that
// names a stage like an environment).

export interface PipelineRef {
  id: string;
  name: string;
  repository: string | null;
}

export interface MatchedExecution {
  rowId: string;
  executionId: string;
  pipeline: PipelineRef;
  status: string;
  sha: string;
  message: string | null;
  url: string | null;
  branch: string | null;
  triggerType: string | null;
  startTime: Date;
  lastUpdateTime: Date;
  /** The furthest stage the execution has a record of; `position` is its 0-based place, null when unknown. */
  reached: { stageName: string; status: string; position: number | null } | null;
}

export interface StageNow {
  pipelineId: string;
  stage: string;
  executionId: string;
  status: string;
  /** The write-back mapping's row for the stage (environment null: it deploys nowhere); undefined: none set. */
  mapping?: { environment: string | null; production: boolean };
}

export interface ExecutionAnswer {
  executionId: string;
  pipeline: PipelineRef;
  status: string;
  branch: string | null;
  triggerType: string | null;
  startTime: Date;
  lastUpdateTime: Date;
  /** "Stage 3 of 4" with that stage's own status. */
  reached: { stage: string; status: string; number: number | null; of: number } | null;
}

export interface EnvironmentAnswer {
  pipeline: PipelineRef;
  stage: string;
  executionId: string;
  /** The stage's status for that execution: Succeeded runs it, InProgress is deploying it, others did not finish. */
  status: string;
  environment: string | null;
  production: boolean;
}

export interface CommitMatch {
  sha: string;
  message: string | null;
  url: string | null;
  executions: ExecutionAnswer[];
  environments: EnvironmentAnswer[];
}

function environmentOf(stage: StageNow): { environment: string | null; production: boolean } {
  if (stage.mapping) return stage.mapping;
  const target = defaultEnvironment(stage.stage);
  return { environment: target?.environment ?? null, production: target?.production ?? false };
}

/** Commits in the order of their newest execution (executions arrive newest first). */
export function placeCommits(
  executions: MatchedExecution[],
  stagesNow: StageNow[],
  stageCounts: ReadonlyMap<string, number>,
): CommitMatch[] {
  const commits = new Map<string, { first: MatchedExecution; rows: MatchedExecution[] }>();
  for (const e of executions) {
    const found = commits.get(e.sha);
    if (found) found.rows.push(e);
    else commits.set(e.sha, { first: e, rows: [e] });
  }
  return [...commits.values()].map(({ first, rows }) => {
    const carried = new Set(rows.map((e) => `${e.pipeline.id}\u0000${e.executionId}`));
    const pipelines = new Map(rows.map((e) => [e.pipeline.id, e.pipeline]));
    const environments = stagesNow.flatMap((s) => {
      const pipeline = pipelines.get(s.pipelineId);
      if (!pipeline || !carried.has(`${s.pipelineId}\u0000${s.executionId}`)) return [];
      return [{ pipeline, stage: s.stage, executionId: s.executionId, status: s.status, ...environmentOf(s) }];
    });
    return {
      sha: first.sha,
      message: first.message,
      url: first.url,
      environments,
      executions: rows.map((e) => ({
        executionId: e.executionId,
        pipeline: e.pipeline,
        status: e.status,
        branch: e.branch,
        triggerType: e.triggerType,
        startTime: e.startTime,
        lastUpdateTime: e.lastUpdateTime,
        reached: e.reached
          ? {
              stage: e.reached.stageName,
              status: e.reached.status,
              number: e.reached.position === null ? null : e.reached.position + 1,
              of: stageCounts.get(e.pipeline.id) ?? 0,
            }
          : null,
      })),
    };
  });
}
