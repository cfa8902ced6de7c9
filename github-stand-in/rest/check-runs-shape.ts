import { apiUrl, nodeId } from "../shapes/urls";
import type { CheckRunRecord } from "../world/records";
import type { CheckApp } from "./check-runs-apps";
import { integrationShape } from "./check-runs-apps";

/** `check-run`, as every check-run endpoint answers it. */
export function checkRunShape(run: CheckRunRecord, app: CheckApp | null, base: string): Record<string, unknown> {
  const url = apiUrl(base, `/repos/${run.repository}/check-runs/${run.id}`);
  const integration = app ? integrationShape(app, base) : null;
  return {
    id: run.id,
    head_sha: run.sha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId ?? "",
    url,
    html_url: `${base}/${run.repository}/runs/${run.id}`,
    // "If the integrator does not provide this, then the homepage of the GitHub app is used."
    details_url: run.detailsUrl ?? (integration ? String(integration.external_url) : null),
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: integration,
    pull_requests: [],
  };
}
