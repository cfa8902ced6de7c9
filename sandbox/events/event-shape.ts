// CodePipeline EventBridge events (pipeline, stage and action execution state changes) as AWS delivers them.
import { uuidFrom } from "../core/hash";
import type { Change, World } from "../core/world";
import { arnOf } from "../core/world";
import { pipelineOf } from "../sim/engine";
import { declarationOf, lastStageRun } from "../sim/lookup";

const DETAIL_TYPES = {
  pipeline: "CodePipeline Pipeline Execution State Change",
  stage: "CodePipeline Stage Execution State Change",
  action: "CodePipeline Action Execution State Change",
} as const;

export interface PipelineEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: "aws.codepipeline";
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export function eventFor(world: World, change: Change, serial: number): PipelineEvent {
  const { exec } = change;
  const now = world.clock.now();
  const detail: Record<string, unknown> = { pipeline: exec.pipelineName, "execution-id": exec.id };
  if (change.level === "pipeline") {
    if (change.state === "STARTED")
      detail["execution-trigger"] = {
        "trigger-type": exec.trigger.triggerType,
        "trigger-detail": exec.trigger.triggerDetail ?? "",
      };
    if (change.state === "STOPPING" && exec.stopTrigger) detail["stop-execution-comments"] = exec.stopTrigger.reason;
  } else {
    detail.stage = change.stage;
  }
  if (change.level === "action") {
    const p = pipelineOf(world, exec);
    const decl = declarationOf(p, exec)
      .stages?.find((s) => s.name === change.stage)
      ?.actions?.find((a) => a.name === change.action);
    const run = lastStageRun(exec, change.stage ?? "")?.actions.find((a) => a.id === change.actionRunId);
    detail.action = change.action;
    detail.region = decl?.region ?? world.env.region;
    if (decl?.actionTypeId)
      detail.type = {
        owner: decl.actionTypeId.owner,
        provider: decl.actionTypeId.provider,
        category: decl.actionTypeId.category,
        version: decl.actionTypeId.version,
      };
    if (run && (change.state === "SUCCEEDED" || change.state === "FAILED")) {
      const result: Record<string, string> = {};
      if (run.externalExecutionUrl) result["external-execution-url"] = run.externalExecutionUrl;
      if (run.summary) result["external-execution-summary"] = run.summary;
      if (run.externalExecutionId) result["external-execution-id"] = run.externalExecutionId;
      if (change.state === "FAILED") result["error-code"] = run.errorDetails?.code ?? "JobFailed";
      detail["execution-result"] = result;
    }
  }
  detail.state = change.state;
  detail.version = exec.pipelineVersion;
  return {
    version: "0",
    id: uuidFrom(world.env.seed, "event", serial, exec.id),
    "detail-type": DETAIL_TYPES[change.level],
    source: "aws.codepipeline",
    account: world.env.account,
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: world.env.region,
    resources: [arnOf(world, exec.pipelineName)],
    detail,
  };
}
