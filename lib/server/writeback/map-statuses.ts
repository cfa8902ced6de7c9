import "server-only";
import { STATUS_DESCRIPTION_MAX, statusDesired, type Desired } from "./desired";
import type { ExecutionFacts, StageFacts } from "./execution-facts";
import { executionVerdict } from "./execution-verdict";
import { endedState } from "./ended-state";
import { clip, oneLine } from "./markdown";
import type { DesiredReport } from "./map-check-runs";
import { executionTitle } from "./render-summary";
import type { WritebackSettings } from "./settings/types";

// From an execution's stored state to the commit statuses GitHub should show (pure), for branch protection rules and
// GitHub Enterprise versions that require status contexts: `codepipeline/<pipeline>`, and with stage statuses on,
// `codepipeline/<pipeline>/<stage>` for each stage the execution reached. A context belongs to the commit, not to an
// execution, so these jobs have no execution id of their own: only the newest execution of the pipeline on the
// commit reports them (enqueue.ts), and its state replaces the one before.
//
// States: running or waiting is `pending`; Succeeded `success`; Failed `failure`; stopped, abandoned or superseded is
// `error`, never a `pending` left standing for ever (which blocks a protected branch with no way out).

type State = "pending" | "success" | "failure" | "error";

const CONTEXT_MAX = 255;
export const statusContext = (pipeline: string, stage?: string): string =>
  clip(oneLine(["codepipeline", pipeline, ...(stage === undefined ? [] : [stage])].join("/")), CONTEXT_MAX);

const description = (value: string) => clip(oneLine(value), STATUS_DESCRIPTION_MAX);

function stageDescription(facts: ExecutionFacts, stage: StageFacts, state: State): string {
  if (state === "pending") return `${stage.name} is running`;
  if (state === "success") return `${stage.name} succeeded`;
  if (state === "failure") {
    const failed = facts.failedActions.find((a) => a.stageName === stage.name);
    const why = failed?.errorMessage ?? failed?.errorCode;
    return why ? `${stage.name} failed: ${why}` : `${stage.name} failed`;
  }
  return `${stage.name}: ${stage.status ?? "ended"}`;
}

export function mapStatuses(
  facts: ExecutionFacts,
  settings: Pick<WritebackSettings, "statuses" | "stageStatuses">,
  links: { execution: string },
): DesiredReport[] {
  if (!settings.statuses || !facts.commitSha) return [];
  const sha = facts.commitSha.toLowerCase();
  const report = (kind: DesiredReport["kind"], subject: string, desired: Desired): DesiredReport => ({
    kind,
    subject,
    desired,
  });
  const verdict = executionVerdict(facts);
  const reports = [
    report(
      "status.execution",
      "",
      statusDesired({
        context: statusContext(facts.pipeline.name),
        sha,
        state: verdict.status === "completed" ? (endedState(facts.status) ?? "error") : "pending",
        description: description(executionTitle(facts, verdict)),
        targetUrl: links.execution,
        executionId: facts.executionId,
      }),
    ),
  ];
  if (!settings.stageStatuses) return reports;
  for (const stage of facts.stages) {
    if (stage.status === null) continue;
    const state = endedState(stage.status) ?? "pending";
    reports.push(
      report(
        "status.stage",
        stage.name,
        statusDesired({
          context: statusContext(facts.pipeline.name, stage.name),
          sha,
          state,
          description: description(stageDescription(facts, stage, state)),
          targetUrl: links.execution,
          executionId: facts.executionId,
        }),
      ),
    );
  }
  return reports;
}
