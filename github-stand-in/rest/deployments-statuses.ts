import { paginate } from "../http/pagination";
import { deploymentStatus } from "../shapes/commit";
import { apiUrl, isoTime } from "../shapes/urls";
import { key } from "../world/names";
import type { DeploymentRecord, DeploymentStatusRecord, Records } from "../world/records";
import { DEPLOYMENT_STATES, isOneOf } from "../world/records";
import type { FieldError, RestContext } from "./context";
import { notFound, reply, validationFailed } from "./context";
import { isHttpUrl, optionalString } from "./fields";
import type { ReportAccess } from "./report-access";
import { creatorAccount, reportAccess } from "./report-access";

const CREATE_DOCS = "https://docs.github.com/rest/deployments/statuses#create-a-deployment-status";
const LIST_DOCS = "https://docs.github.com/rest/deployments/statuses#list-deployment-statuses";
const GET_DOCS = "https://docs.github.com/rest/deployments/statuses#get-a-deployment-status";
const MAX_DESCRIPTION = 140;

/** A deployment's state is its newest status's; a deployment without statuses is pending. */
export function latestStatus(records: Records, deploymentId: number): DeploymentStatusRecord | undefined {
  return records.statusesOfDeployment(deploymentId).at(-1);
}

/**
 * auto_inactive: a success adds an `inactive` status to every other deployment to the same environment of the
 * repository whose state is success, except transient and production ones, as GitHub documents it.
 */
export function deploymentsToDeactivate(
  records: Records,
  target: DeploymentRecord,
  environment: string,
): DeploymentRecord[] {
  return records.deployments.filter(
    (d) =>
      d.id !== target.id &&
      key(d.repository) === key(target.repository) &&
      key(latestStatus(records, d.id)?.environment ?? d.environment) === key(environment) &&
      !d.transientEnvironment &&
      !d.productionEnvironment &&
      latestStatus(records, d.id)?.state === "success",
  );
}

function findDeployment(ctx: RestContext, access: ReportAccess): DeploymentRecord | undefined {
  const id = Number(ctx.params.deployment_id);
  return Number.isSafeInteger(id) ? ctx.state.records.deployment(access.repository.fullName, id) : undefined;
}

function shape(ctx: RestContext, status: DeploymentStatusRecord): Record<string, unknown> {
  return deploymentStatus(status, creatorAccount(ctx.state, status.creator), ctx.base);
}

function parseStatus(body: Record<string, unknown>) {
  const errors: FieldError[] = [];
  const invalid = (field: string, code: FieldError["code"] = "invalid", message?: string) =>
    errors.push({ resource: "DeploymentStatus", field, code, ...(message ? { message } : {}) });
  if (!isOneOf(DEPLOYMENT_STATES, body.state)) invalid("state", body.state === undefined ? "missing_field" : "invalid");
  const description = optionalString(body.description);
  if (description === undefined) invalid("description");
  else if (description !== null && description.length > MAX_DESCRIPTION)
    invalid("description", "custom", `description is too long (maximum is ${MAX_DESCRIPTION} characters)`);
  const urls: Record<string, string | null> = {};
  for (const field of ["target_url", "log_url", "environment_url"] as const) {
    const value = optionalString(body[field]);
    if (value === undefined || (value !== null && !isHttpUrl(value))) invalid(field);
    else urls[field] = value;
  }
  if (body.environment !== undefined && (typeof body.environment !== "string" || body.environment === ""))
    invalid("environment");
  if (body.auto_inactive !== undefined && typeof body.auto_inactive !== "boolean") invalid("auto_inactive");
  if (!isOneOf(DEPLOYMENT_STATES, body.state) || errors.length > 0) return errors;
  return {
    state: body.state,
    description: description ?? "",
    environment: typeof body.environment === "string" ? body.environment : null,
    environmentUrl: urls.environment_url ?? null,
    // Setting log_url also sets target_url (GitHub keeps them in step).
    logUrl: urls.log_url ?? urls.target_url ?? null,
    autoInactive: body.auto_inactive !== false,
  };
}

// POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses – needs push access
export function createDeploymentStatus(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "write",
    scopes: ["repo_deployment"],
    docs: CREATE_DOCS,
  });
  if (!access) return;
  const found = findDeployment(ctx, access);
  if (!found) return notFound(ctx, CREATE_DOCS);
  const input = parseStatus(ctx.body);
  if (Array.isArray(input)) return validationFailed(ctx, input, CREATE_DOCS);
  const records = ctx.state.records;
  const now = isoTime(ctx.state.now());
  const environment = input.environment ?? latestStatus(records, found.id)?.environment ?? found.environment;
  type Fields = Pick<DeploymentStatusRecord, "state" | "description" | "environmentUrl" | "logUrl">;
  const add = (deploymentId: number, fields: Fields) => {
    const status: DeploymentStatusRecord = {
      id: records.id(),
      deploymentId,
      repository: access.repository.fullName,
      environment,
      targetUrl: fields.logUrl ?? "",
      creator: access.actor.login,
      createdAt: now,
      ...fields,
    };
    records.deploymentStatuses.push(status);
    return status;
  };
  const earlier =
    input.state === "success" && input.autoInactive ? deploymentsToDeactivate(records, found, environment) : [];
  const { state, description, environmentUrl, logUrl } = input;
  const created = add(found.id, { state, description, environmentUrl, logUrl });
  const inactive = { state: "inactive", description: "", environmentUrl: null, logUrl: null } as const;
  for (const other of earlier) add(other.id, inactive);
  records.environments.ensure(access.repository.fullName, environment, now);
  const location = apiUrl(ctx.base, `/repos/${created.repository}/deployments/${found.id}/statuses/${created.id}`);
  reply(ctx, 201, shape(ctx, created), { location });
}

// GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses – newest first
export function listDeploymentStatuses(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "read",
    scopes: ["repo_deployment"],
    docs: LIST_DOCS,
  });
  if (!access) return;
  const found = findDeployment(ctx, access);
  if (!found) return notFound(ctx, LIST_DOCS);
  const statuses = ctx.state.records.statusesOfDeployment(found.id).reverse();
  const page = paginate(statuses, ctx.url, ctx.base);
  reply(
    ctx,
    200,
    page.items.map((s) => shape(ctx, s)),
    page.link ? { link: page.link } : {},
  );
}

// GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}
export function getDeploymentStatus(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "read",
    scopes: ["repo_deployment"],
    docs: GET_DOCS,
  });
  if (!access) return;
  const found = findDeployment(ctx, access);
  const id = Number(ctx.params.status_id);
  const status = found ? ctx.state.records.statusesOfDeployment(found.id).find((s) => s.id === id) : undefined;
  if (!status) return notFound(ctx, GET_DOCS);
  reply(ctx, 200, shape(ctx, status));
}
