// After a run: every report Stageboard keeps a job for, against what the GitHub stand-in holds (pure). The
// execution's check run is judged by the execution's stored status (expectedCheck), the pipeline's commit status by
// the newest execution of the pipeline on the commit (expectedCommitState); approval runs and deployments, whose
// states follow rules of their own (approvers, environments replaced by newer deployments), must hold the job's
// desired state. A job that is not delivered is a mismatch too. Duplicates: more than one run of a name for one
// external id (an execution's own run and its approval runs share the execution id), more than one deployment for one
// commit, environment and execution.
import { expectedCheck, expectedCommitState, showsCheck } from "./github-expect";

export type JobRow = {
  kind: string;
  state: string;
  headSha: string;
  pipelineId: string;
  executionId: string;
  desired: unknown;
};
export type ExecutionRow = {
  executionId: string;
  pipelineId: string;
  commitSha: string | null;
  status: string;
  startTime: Date;
};
export type StandInRun = {
  appId: number;
  externalId: string | null;
  name: string;
  status: string;
  conclusion: string | null;
};
export type StandInStatus = { sha: string; context: string; state: string };
export type StandInDeployment = {
  sha: string;
  environment: string;
  payload: unknown;
  statuses: { state: string }[];
};

export type Comparison = {
  compared: number;
  mismatches: number;
  duplicateCheckRuns: number;
  duplicateDeployments: number;
  samples: string[];
};

type Desired = {
  checkRun?: { name: string; status: string; conclusion: string | null };
  status?: { context: string; sha: string };
  deployment?: { sha: string; environment: string; state: string; payload: { executionId: string } };
};

const payloadExecution = (payload: unknown) =>
  payload && typeof payload === "object" && "executionId" in payload ? String(payload.executionId) : "";

export function compareReports(input: {
  appId: number;
  jobs: readonly JobRow[];
  executions: readonly ExecutionRow[];
  runs: readonly StandInRun[];
  statuses: readonly StandInStatus[];
  deployments: readonly StandInDeployment[];
}): Comparison {
  const out: Comparison = { compared: 0, mismatches: 0, duplicateCheckRuns: 0, duplicateDeployments: 0, samples: [] };
  const miss = (what: string) => {
    out.mismatches++;
    if (out.samples.length < 10) out.samples.push(what);
  };
  const runs = new Map<string, StandInRun[]>();
  for (const run of input.runs) {
    if (run.appId !== input.appId || !run.externalId) continue;
    const key = `${run.externalId}\u0000${run.name}`;
    runs.set(key, [...(runs.get(key) ?? []), run]);
  }
  for (const list of runs.values()) out.duplicateCheckRuns += list.length - 1;
  const deployments = new Map<string, StandInDeployment[]>();
  for (const d of input.deployments) {
    const key = `${d.sha}\u0000${d.environment.toLowerCase()}\u0000${payloadExecution(d.payload)}`;
    deployments.set(key, [...(deployments.get(key) ?? []), d]);
  }
  for (const list of deployments.values()) out.duplicateDeployments += list.length - 1;
  const latestStatus = new Map<string, string>();
  for (const s of input.statuses) latestStatus.set(`${s.sha}\u0000${s.context}`, s.state);
  const executions = new Map(input.executions.map((e) => [e.executionId, e]));
  const newestOnCommit = new Map<string, ExecutionRow>();
  for (const e of input.executions) {
    if (!e.commitSha) continue;
    const key = `${e.pipelineId}\u0000${e.commitSha.toLowerCase()}`;
    const seen = newestOnCommit.get(key);
    if (!seen || seen.startTime < e.startTime) newestOnCommit.set(key, e);
  }

  for (const job of input.jobs) {
    out.compared++;
    const desired = job.desired as Desired;
    const label = `${job.kind} ${job.executionId || job.headSha.slice(0, 8)}`;
    if (job.state !== "delivered") {
      miss(`${label}: job ${job.state}`);
      continue;
    }
    if (job.kind === "check-run.execution" || job.kind === "check-run.approval") {
      const run = desired.checkRun;
      const held = runs.get(`${job.executionId}\u0000${run?.name ?? ""}`)?.at(-1);
      if (!run || !held) {
        miss(`${label}: no check run on GitHub`);
        continue;
      }
      const execution = executions.get(job.executionId);
      const expected =
        job.kind === "check-run.execution" && execution
          ? expectedCheck(execution.status)
          : { status: run.status, conclusion: run.conclusion };
      if (!showsCheck(held, expected))
        miss(`${label}: GitHub ${held.status}/${held.conclusion}, expected ${expected.status}/${expected.conclusion}`);
    } else if (job.kind === "status.execution") {
      const status = desired.status;
      const newest = newestOnCommit.get(`${job.pipelineId}\u0000${job.headSha}`);
      const held = status ? latestStatus.get(`${status.sha}\u0000${status.context}`) : undefined;
      const expected = newest ? expectedCommitState(newest.status) : undefined;
      if (held === undefined || held !== expected) miss(`${label}: GitHub ${held}, expected ${expected}`);
    } else if (job.kind === "status.stage") {
      // Not turned on by the benchmark; a job of this kind would be a surprise worth a look.
      miss(`${label}: unexpected stage status job`);
    } else if (job.kind === "deployment.stage") {
      const d = desired.deployment;
      const key = d ? `${d.sha}\u0000${d.environment.toLowerCase()}\u0000${d.payload.executionId}` : "";
      const held = deployments.get(key)?.at(-1)?.statuses.at(-1)?.state;
      if (!d || held !== d.state) miss(`${label} ${d?.environment}: GitHub ${held}, expected ${d?.state}`);
    }
  }
  return out;
}
