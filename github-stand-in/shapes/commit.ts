import type { CommitStatusRecord, DeploymentRecord, DeploymentStatusRecord } from "../world/records";
import type { Account } from "../world/world";
import { apiUrl, nodeId } from "./urls";
import { simpleUser } from "./user";

/** `simple-commit-status` (inside the combined status); `status` adds the creator. */
export function simpleCommitStatus(status: CommitStatusRecord, base: string): Record<string, unknown> {
  return {
    url: apiUrl(base, `/repos/${status.repository}/statuses/${status.sha}`),
    avatar_url: `${base}/avatars/${status.creator}.svg`,
    id: status.id,
    node_id: nodeId("Status", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
  };
}

export function commitStatus(
  status: CommitStatusRecord,
  creator: Account | undefined,
  base: string,
): Record<string, unknown> {
  return { ...simpleCommitStatus(status, base), creator: creator ? simpleUser(creator, base) : null };
}

export function deployment(
  record: DeploymentRecord,
  creator: Account | undefined,
  base: string,
): Record<string, unknown> {
  const url = apiUrl(base, `/repos/${record.repository}/deployments/${record.id}`);
  return {
    url,
    id: record.id,
    node_id: nodeId("Deployment", record.id),
    sha: record.sha,
    ref: record.ref,
    task: record.task,
    payload: record.payload,
    original_environment: record.environment,
    environment: record.environment,
    description: record.description,
    creator: creator ? simpleUser(creator, base) : null,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: apiUrl(base, `/repos/${record.repository}`),
    transient_environment: record.transientEnvironment,
    production_environment: record.productionEnvironment,
  };
}

export function deploymentStatus(
  record: DeploymentStatusRecord,
  creator: Account | undefined,
  base: string,
): Record<string, unknown> {
  const deploymentUrl = apiUrl(base, `/repos/${record.repository}/deployments/${record.deploymentId}`);
  return {
    url: `${deploymentUrl}/statuses/${record.id}`,
    id: record.id,
    node_id: nodeId("DeploymentStatus", record.id),
    state: record.state,
    creator: creator ? simpleUser(creator, base) : null,
    description: record.description,
    environment: record.environment,
    target_url: record.targetUrl,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    deployment_url: deploymentUrl,
    repository_url: apiUrl(base, `/repos/${record.repository}`),
    ...(record.environmentUrl !== null ? { environment_url: record.environmentUrl } : {}),
    ...(record.logUrl !== null ? { log_url: record.logUrl } : {}),
  };
}
