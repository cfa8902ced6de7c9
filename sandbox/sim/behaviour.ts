// How long each kind of action (and condition rule) takes and what it reports, in the shapes the real providers produce.
import type { ActionDeclaration, RuleDeclaration } from "@aws-sdk/client-codepipeline";
import { unit, uuidFrom } from "../core/hash";
import type { ActionRun, ErrorDetailsRecord, Revision } from "../core/types";

const DURATIONS: Record<string, [number, number]> = {
  Source: [2_000, 8_000],
  CodeBuild: [40_000, 200_000],
  CodeDeploy: [30_000, 150_000],
  ECS: [40_000, 180_000],
  Lambda: [3_000, 20_000],
};

/**
 * How long one run of an action takes. Each action of each pipeline has a typical duration somewhere in its
 * provider's range (a given build or deployment takes about the same time run after run); a run varies
 * ±15% around it. `u` is the run's own uniform draw.
 */
export function durationFor(decl: ActionDeclaration, u: number, pipelineName: string, stageName: string): number {
  const key = decl.actionTypeId?.category === "Source" ? "Source" : (decl.actionTypeId?.provider ?? "");
  const [lo, hi] = DURATIONS[key] ?? [10_000, 60_000];
  const typical = lo + (hi - lo) * unit(pipelineName, stageName, decl.name ?? "", "typical");
  return Math.round(typical * (0.85 + 0.3 * u));
}

export function isApproval(decl: ActionDeclaration): boolean {
  return decl.actionTypeId?.category === "Approval";
}

export function isSource(decl: ActionDeclaration): boolean {
  return decl.actionTypeId?.category === "Source";
}

/** Fields a finished (or just started) action reports, keyed deterministically by the action execution id. */
export function resultFor(
  region: string,
  decl: ActionDeclaration,
  run: ActionRun,
  sources: Revision[],
  failed: boolean,
): Partial<ActionRun> {
  const cfg = decl.configuration ?? {};
  const provider = decl.actionTypeId?.provider ?? "";
  if (isSource(decl)) {
    const rev = sources.find((s) => s.actionName === decl.name) ?? sources[0];
    if (!rev) return {};
    const message = rev.summary.startsWith("{") ? messageOf(rev.summary) : rev.summary;
    return {
      summary: rev.summary,
      externalExecutionId: rev.revisionId,
      externalExecutionUrl: rev.url,
      outputVariables: {
        CommitId: rev.revisionId,
        CommitMessage: message.slice(0, 1000),
        BranchName: cfg.BranchName ?? cfg.Branch ?? "main",
      },
    };
  }
  const errorDetails = (e: ErrorDetailsRecord) => (failed ? { errorDetails: e } : {});
  if (provider === "CodeBuild") {
    const id = `${cfg.ProjectName ?? "project"}:${uuidFrom(run.id, "build")}`;
    return {
      externalExecutionId: id,
      externalExecutionUrl: `https://console.aws.amazon.com/codebuild/home?region=${region}#/builds/${encodeURIComponent(id)}/view/new`,
      ...(failed ? {} : { summary: "Build succeeded" }),
      ...errorDetails({
        code: "JobFailed",
        message:
          "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: npm test. Reason: exit status 1",
      }),
    };
  }
  if (provider === "CodeDeploy") {
    const id = `d-${uuidFrom(run.id, "deploy").replace(/-/g, "").slice(0, 9).toUpperCase()}`;
    return {
      externalExecutionId: id,
      externalExecutionUrl: `https://console.aws.amazon.com/codedeploy/home?region=${region}#/deployments/${id}`,
      ...(failed ? {} : { summary: `Deployment ${id} succeeded` }),
      ...errorDetails({
        code: "JobFailed",
        message: `Deployment ${id} failed. The overall deployment failed because too many individual instances failed deployment.`,
      }),
    };
  }
  if (provider === "ECS") {
    const id = `ecs-svc/${uuidFrom(run.id, "ecs").replace(/-/g, "").slice(0, 19)}`;
    return {
      externalExecutionId: id,
      externalExecutionUrl: `https://console.aws.amazon.com/ecs/home?region=${region}#/clusters/${cfg.ClusterName ?? "main"}/services/${cfg.ServiceName ?? "service"}/deployments`,
      ...(failed ? {} : { summary: "ECS service reached a steady state" }),
      ...errorDetails({
        code: "JobFailed",
        message: "The ECS service did not stabilize: tasks failed ELB health checks.",
      }),
    };
  }
  if (provider === "Lambda") {
    return {
      externalExecutionId: uuidFrom(run.id, "lambda"),
      ...(failed ? {} : { summary: "Function invoked successfully" }),
      ...errorDetails({
        code: "JobFailed",
        message: "Lambda function returned an error: Task timed out after 15.00 seconds",
      }),
    };
  }
  return { ...errorDetails({ code: "JobFailed", message: "The action failed." }) };
}

function messageOf(summary: string): string {
  try {
    const parsed: unknown = JSON.parse(summary);
    if (parsed && typeof parsed === "object" && "CommitMessage" in parsed && typeof parsed.CommitMessage === "string")
      return parsed.CommitMessage;
  } catch {
    // fall through: not a JSON summary
  }
  return summary;
}

/** How long a rule takes and what it reports when it passes: live evaluation and generated history alike. */
export function passedRule(rule: RuleDeclaration, runId: string): { durationMs: number; summary: string } {
  switch (rule.ruleTypeId?.provider) {
    case "VariableCheck":
      return { durationMs: 3_000, summary: "Variable check passed" };
    case "DeploymentWindow":
      return { durationMs: 1_800_000, summary: "Entered the deployment window" };
    case "CloudWatchAlarm":
      return { durationMs: 30_000 + Math.round(unit(runId, "d") * 60_000), summary: "No alarms in ALARM state" };
    default:
      return { durationMs: 10_000, summary: "Rule succeeded" };
  }
}
