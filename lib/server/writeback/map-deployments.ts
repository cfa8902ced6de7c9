import "server-only";
import { deploymentDesired, STATUS_DESCRIPTION_MAX, type DeploymentState } from "./desired";
import type { ExecutionFacts } from "./execution-facts";
import { endedState } from "./ended-state";
import { clip, oneLine } from "./markdown";
import type { DesiredReport } from "./map-check-runs";
import type { WritebackSettings } from "./settings/types";

// From an execution's stored state to the GitHub Deployments it made (pure): one for each stage the settings map to
// an environment, from the moment the stage starts, for the exact commit, with a payload naming the pipeline and the
// execution. Its state follows the stage: running is `in_progress`, Succeeded `success`, Failed `failure`, and a
// stage that was stopped or abandoned `error`. Marking earlier deployments `inactive` is enqueue.ts's: it needs the
// other executions' deployments.

const WORDS: Record<DeploymentState, string> = {
  queued: "queued",
  in_progress: "deploying",
  success: "deployed",
  failure: "failed",
  error: "stopped",
  inactive: "replaced by a newer deployment",
};

export function deploymentDescription(pipeline: string, executionId: string, state: DeploymentState): string {
  return clip(oneLine(`${pipeline} ${executionId.slice(0, 8)}: ${WORDS[state]}`), STATUS_DESCRIPTION_MAX);
}

export function mapDeployments(
  facts: ExecutionFacts,
  settings: Pick<WritebackSettings, "deployments" | "environments">,
  links: { execution: string },
): DesiredReport[] {
  if (!settings.deployments || !facts.commitSha) return [];
  const reports: DesiredReport[] = [];
  for (const stage of facts.stages) {
    const target = settings.environments.get(stage.name);
    if (!target || stage.status === null) continue;
    const state = endedState(stage.status) ?? "in_progress";
    reports.push({
      kind: "deployment.stage",
      subject: stage.name,
      desired: deploymentDesired({
        sha: facts.commitSha.toLowerCase(),
        environment: target.environment,
        production: target.production,
        transient: target.transient,
        payload: {
          pipeline: facts.pipeline.name,
          pipelineId: facts.pipeline.id,
          executionId: facts.executionId,
          stage: stage.name,
        },
        description: deploymentDescription(facts.pipeline.name, facts.executionId, state),
        state,
        logUrl: links.execution,
        environmentUrl: state === "success" ? stage.environmentUrl : null,
        startedAt: (stage.startTime ?? facts.startTime).toISOString(),
      }),
    });
  }
  return reports;
}
