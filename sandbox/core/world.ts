// Everything the sandbox knows at one moment. Plain records in maps, so the state file is a direct dump.
import type { ManualClock } from "./clock";
import type { Rng } from "./hash";
import type { Scheduler } from "./scheduler";
import type { ExecutionRecord, PipelineRecord } from "./types";

export interface Env {
  account: string;
  region: string;
  seed: string;
  /** The GitHub the fleet's GitHub connections point at; another than github.com makes them Enterprise Server ones. */
  githubUrl?: string;
}

/** A CodeConnections connection (the shape ListConnections returns, less the owner account). */
export interface ConnectionRecord {
  arn: string;
  name: string;
  providerType: string;
  status: "AVAILABLE" | "PENDING" | "ERROR";
  hostArn?: string;
}

/** A CodeConnections host (GitHub Enterprise Server, GitLab self-managed). */
export interface HostRecord {
  arn: string;
  name: string;
  providerType: string;
  providerEndpoint: string;
  status: string;
}

export interface TokenRef {
  pipelineName: string;
  executionId: string;
  stageName: string;
  actionName: string;
  actionRunId: string;
}

/** Per-action outcome a test or operator can impose on the next runs. */
export interface Script {
  outcome?: "Succeeded" | "Failed";
  durationMs?: number;
}

export type ChangeLevel = "pipeline" | "stage" | "action";

export interface Change {
  level: ChangeLevel;
  state: string;
  exec: ExecutionRecord;
  stage?: string;
  action?: string;
  actionRunId?: string;
}

export interface World {
  env: Env;
  clock: ManualClock;
  scheduler: Scheduler;
  rng: Rng;
  originMs: number;
  pipelines: Map<string, PipelineRecord>;
  /** Rebuilt from the seed at every start (not in the state file); tests may add their own. */
  connections: Map<string, ConnectionRecord>;
  hosts: Map<string, HostRecord>;
  executions: Map<string, ExecutionRecord>;
  tokens: Map<string, TokenRef>;
  idempotency: Map<string, { executionId: string; fingerprint: string }>;
  /** Key `pipeline/stage/action` (or rule name instead of action). */
  scripts: Map<string, Script>;
  activity: boolean;
  execSeq: number;
  onChange: (change: Change) => void;
}

export function arnOf(world: World, pipelineName: string): string {
  return `arn:aws:codepipeline:${world.env.region}:${world.env.account}:${pipelineName}`;
}
