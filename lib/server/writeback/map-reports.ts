import "server-only";
import type { ExecutionFacts } from "./execution-facts";
import { executionLinks, mapCheckRuns, type DesiredReport } from "./map-check-runs";
import { mapDeployments } from "./map-deployments";
import { mapStatuses } from "./map-statuses";
import type { WritebackSettings } from "./settings/types";

// Everything an execution reports to GitHub under its repository's settings (pure): check runs, commit statuses
// (only from the newest execution of the pipeline on the commit: a context is the commit's), deployments.

export function mapReports(
  facts: ExecutionFacts,
  settings: WritebackSettings,
  options: { baseUrl: string; newestOnCommit: boolean },
): DesiredReport[] {
  const links = executionLinks(options.baseUrl, facts.pipeline.id, facts.executionId);
  return [
    ...(settings.checkRuns ? mapCheckRuns(facts, { baseUrl: options.baseUrl }) : []),
    ...(options.newestOnCommit ? mapStatuses(facts, settings, links) : []),
    ...mapDeployments(facts, settings, links),
  ];
}

/** Status jobs belong to the commit and pipeline, not to one execution: their job key has no execution id. */
export const jobExecutionId = (report: Pick<DesiredReport, "kind">, executionId: string): string =>
  report.kind.startsWith("status.") ? "" : executionId;
