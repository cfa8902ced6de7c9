import { deployment, deploymentStatus } from "../shapes/commit";
import { apiUrl, isoTime } from "../shapes/urls";
import { DEPLOYMENT_STATES, isOneOf, resolveSha } from "../world/records";
import type { DeploymentRecord } from "../world/records";
import { isJsonObject, parseJson } from "../http/body";
import { repositoryAccess } from "./access";
import type { FieldError, RestContext } from "./context";
import { fail, notFound, reply, validationFailed } from "./context";
import { isHttpUrl, optionalString } from "./fields";
import { failingContexts } from "./required-contexts";

const CREATE_DOCS = "https://docs.github.com/rest/deployments/deployments#create-a-deployment";
const STATUS_DOCS = "https://docs.github.com/rest/deployments/statuses#create-a-deployment-status";
const MAX_DESCRIPTION = 140;

function payloadOf(value: unknown): Record<string, unknown> | string | undefined {
  if (value === undefined || value === null) return {};
  if (isJsonObject(value)) return value;
  if (typeof value !== "string") return undefined;
  // GitHub accepts a JSON string and stores the object it encodes.
  const parsed = parseJson(value);
  return isJsonObject(parsed) ? parsed : value;
}

function stringList(value: unknown): string[] | undefined | "invalid" {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  return "invalid";
}

// POST /repos/{owner}/{repo}/deployments – needs push access and repo or repo_deployment
export function createDeployment(ctx: RestContext): void {
  const access = repositoryAccess(ctx, { minimum: "write", scopes: ["repo_deployment"], docs: CREATE_DOCS });
  if (!access) return;
  const { body } = ctx;
  const errors: FieldError[] = [];
  const ref = body.ref;
  if (typeof ref !== "string" || ref === "")
    errors.push({ resource: "Deployment", field: "ref", code: ref === undefined ? "missing_field" : "invalid" });
  const task = body.task === undefined ? "deploy" : body.task;
  if (typeof task !== "string") errors.push({ resource: "Deployment", field: "task", code: "invalid" });
  const environment = body.environment === undefined ? "production" : body.environment;
  if (typeof environment !== "string" || environment === "")
    errors.push({ resource: "Deployment", field: "environment", code: "invalid" });
  const description = body.description === undefined ? "" : optionalString(body.description);
  if (description === undefined) errors.push({ resource: "Deployment", field: "description", code: "invalid" });
  const payload = payloadOf(body.payload);
  if (payload === undefined) errors.push({ resource: "Deployment", field: "payload", code: "invalid" });
  const required = stringList(body.required_contexts);
  if (required === "invalid") errors.push({ resource: "Deployment", field: "required_contexts", code: "invalid" });
  if (
    errors.length > 0 ||
    typeof ref !== "string" ||
    typeof task !== "string" ||
    typeof environment !== "string" ||
    description === undefined ||
    payload === undefined ||
    required === "invalid"
  ) {
    return validationFailed(ctx, errors, CREATE_DOCS);
  }
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ref);
  const failing = failingContexts(ctx.state.records, repository, sha, required);
  if (failing.length > 0) {
    return fail(ctx, 409, `Conflict: Commit status checks failed for ${ref}.`, CREATE_DOCS, {
      errors: [{ contexts: failing, resource: "Deployment", field: "required_contexts", code: "invalid" }],
    });
  }
  const record: DeploymentRecord = {
    id: ctx.state.records.id(),
    repository,
    sha,
    ref,
    task,
    payload,
    environment,
    description,
    transientEnvironment: body.transient_environment === true,
    productionEnvironment:
      typeof body.production_environment === "boolean" ? body.production_environment : environment === "production",
    creator: access.viewer.login,
    createdAt: isoTime(ctx.state.now()),
  };
  ctx.state.records.deployments.push(record);
  reply(ctx, 201, deployment(record, access.viewer, ctx.base));
}

// POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses – needs push access
export function createDeploymentStatus(ctx: RestContext): void {
  const access = repositoryAccess(ctx, { minimum: "write", scopes: ["repo_deployment"], docs: STATUS_DOCS });
  if (!access) return;
  const id = Number(ctx.params.deployment_id);
  const found = Number.isSafeInteger(id) ? ctx.state.records.deployment(access.repository.fullName, id) : undefined;
  if (!found) return notFound(ctx, STATUS_DOCS);
  const { body } = ctx;
  const errors: FieldError[] = [];
  if (!isOneOf(DEPLOYMENT_STATES, body.state)) {
    errors.push({
      resource: "DeploymentStatus",
      field: "state",
      code: body.state === undefined ? "missing_field" : "invalid",
    });
  }
  const description = optionalString(body.description);
  if (description === undefined) errors.push({ resource: "DeploymentStatus", field: "description", code: "invalid" });
  else if (description !== null && description.length > MAX_DESCRIPTION) {
    errors.push({
      resource: "DeploymentStatus",
      field: "description",
      code: "custom",
      message: `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
    });
  }
  const urls: Record<string, string | null> = {};
  for (const field of ["target_url", "log_url", "environment_url"] as const) {
    const value = optionalString(body[field]);
    if (value === undefined || (value !== null && !isHttpUrl(value)))
      errors.push({ resource: "DeploymentStatus", field, code: "invalid" });
    else urls[field] = value;
  }
  const environment = body.environment === undefined ? found.environment : body.environment;
  if (typeof environment !== "string" || environment === "")
    errors.push({ resource: "DeploymentStatus", field: "environment", code: "invalid" });
  if (
    errors.length > 0 ||
    !isOneOf(DEPLOYMENT_STATES, body.state) ||
    description === undefined ||
    typeof environment !== "string"
  ) {
    return validationFailed(ctx, errors, STATUS_DOCS);
  }
  // Setting log_url also sets target_url (GitHub keeps them in step).
  const logUrl = urls.log_url ?? urls.target_url ?? null;
  const record = {
    id: ctx.state.records.id(),
    deploymentId: found.id,
    repository: access.repository.fullName,
    state: body.state,
    description: description ?? "",
    environment,
    environmentUrl: urls.environment_url ?? null,
    logUrl,
    targetUrl: logUrl ?? "",
    creator: access.viewer.login,
    createdAt: isoTime(ctx.state.now()),
  };
  ctx.state.records.deploymentStatuses.push(record);
  const location = apiUrl(ctx.base, `/repos/${record.repository}/deployments/${found.id}/statuses/${record.id}`);
  reply(ctx, 201, deploymentStatus(record, access.viewer, ctx.base), { location });
}
