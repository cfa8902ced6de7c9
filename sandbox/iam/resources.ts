// The resource IAM checks for each operation, in the forms of AWS's service authorization reference:
// an approval is its action (pipeline/stage/action), a transition its stage (pipeline/stage), everything else about
// a pipeline the pipeline itself; list calls with no resource type need "*".
import type { Env } from "../core/world";

const ACTION_LEVEL = new Set(["PutApprovalResult"]);
const STAGE_LEVEL = new Set(["EnableStageTransition", "DisableStageTransition"]);
const NO_RESOURCE = new Set(["ListPipelines", "ListActionTypes", "ListWebhooks", "ListConnections", "ListHosts"]);

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function resourceOf(env: Env, operation: string, input: Record<string, unknown>): string {
  if (NO_RESOURCE.has(operation)) return "*";
  if (operation === "ListTagsForResource" || operation === "TagResource" || operation === "UntagResource")
    return text(input.resourceArn) || "*";
  if (operation === "GetConnection") return text(input.ConnectionArn) || "*";
  if (operation === "GetHost") return text(input.HostArn) || "*";
  const declared = input.pipeline as { name?: unknown } | undefined;
  const pipeline = text(input.pipelineName) || text(input.name) || text(declared?.name);
  const arn = `arn:aws:codepipeline:${env.region}:${env.account}:${pipeline}`;
  if (ACTION_LEVEL.has(operation)) return `${arn}/${text(input.stageName)}/${text(input.actionName)}`;
  if (STAGE_LEVEL.has(operation)) return `${arn}/${text(input.stageName)}`;
  return arn;
}
