import "server-only";
import { deploymentBody, deploymentStatusBody, type DesiredDeployment } from "./desired";
import { idOf, type WritebackClient } from "./github-check-runs";

// The deployment requests write-back makes, as the App's installation. Creation alone is never retried by the
// client: GitHub may have created the deployment and lost the answer, and only a lookup can tell (send-job.ts).

export interface DeploymentApi {
  /** The commit's deployment to the environment whose payload names this execution and stage, or null. */
  find(deployment: DesiredDeployment): Promise<bigint | null>;
  create(deployment: DesiredDeployment): Promise<bigint>;
  /** The deployment's latest status, or null when it has none. */
  latestState(deploymentId: bigint): Promise<string | null>;
  setState(deploymentId: bigint, deployment: DesiredDeployment): Promise<void>;
}

const PER_PAGE = 100;
const MAX_PAGES = 10;

function payloadOf(value: unknown): Record<string, unknown> | null {
  if (typeof value === "string") {
    try {
      return payloadOf(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

/** Whether a listed deployment is this one: same pipeline, execution and stage in its payload. */
export function samePayload(listed: unknown, wanted: DesiredDeployment["payload"]): boolean {
  const payload = payloadOf(listed);
  return (
    payload !== null &&
    payload.pipelineId === wanted.pipelineId &&
    payload.executionId === wanted.executionId &&
    payload.stage === wanted.stage
  );
}

export function deploymentApi(client: WritebackClient, repository: string): DeploymentApi {
  const [owner = "", repo = ""] = repository.split("/");
  const { octokit, writeContent } = client;
  return {
    async find(deployment) {
      let best: bigint | null = null;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
          owner,
          repo,
          sha: deployment.sha,
          environment: deployment.environment,
          task: "deploy",
          per_page: PER_PAGE,
          page,
        });
        for (const found of data) {
          const id = BigInt(found.id);
          if (samePayload(found.payload, deployment.payload) && (best === null || id < best)) best = id;
        }
        if (data.length < PER_PAGE) break;
      }
      return best;
    },
    async create(deployment) {
      const response = await writeContent(() =>
        octokit.request("POST /repos/{owner}/{repo}/deployments", {
          owner,
          repo,
          ...deploymentBody(deployment),
          request: { retries: 0 },
        }),
      );
      return idOf(response.data);
    },
    async latestState(deploymentId) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
        owner,
        repo,
        deployment_id: Number(deploymentId),
        per_page: 1,
      });
      return data[0]?.state ?? null;
    },
    async setState(deploymentId, deployment) {
      await writeContent(() =>
        octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
          owner,
          repo,
          deployment_id: Number(deploymentId),
          ...deploymentStatusBody(deployment),
        }),
      );
    },
  };
}
