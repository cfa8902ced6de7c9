import { isJsonObject, parseJson } from "../http/body";
import { deployment } from "../shapes/commit";
import { isoTime } from "../shapes/urls";
import type { DeploymentRecord } from "../world/records";
import type { FieldError, RestContext } from "./context";
import { fail, reply, validationFailed } from "./context";
import { autoMerge, resolveDeploymentRef } from "./deployments-merge";
import { optionalString } from "./fields";
import { reportAccess } from "./report-access";
import { failingContexts } from "./required-contexts";

const CREATE_DOCS = "https://docs.github.com/rest/deployments/deployments#create-a-deployment";

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

function optionalBoolean(value: unknown, fallback: boolean): boolean | undefined {
  if (value === undefined) return fallback;
  return typeof value === "boolean" ? value : undefined;
}

interface DeploymentInput {
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  required: string[] | undefined;
  autoMerge: boolean;
  transient: boolean;
  production: boolean | undefined;
}

function parseDeployment(body: Record<string, unknown>): DeploymentInput | FieldError[] {
  const errors: FieldError[] = [];
  const invalid = (field: string, code: FieldError["code"] = "invalid") =>
    errors.push({ resource: "Deployment", field, code });
  const { ref } = body;
  if (typeof ref !== "string" || ref === "") invalid("ref", ref === undefined ? "missing_field" : "invalid");
  const task = body.task === undefined ? "deploy" : body.task;
  if (typeof task !== "string") invalid("task");
  const environment = body.environment === undefined ? "production" : body.environment;
  if (typeof environment !== "string" || environment === "") invalid("environment");
  const description = body.description === undefined ? "" : optionalString(body.description);
  if (description === undefined) invalid("description");
  const payload = payloadOf(body.payload);
  if (payload === undefined) invalid("payload");
  const required = stringList(body.required_contexts);
  if (required === "invalid") invalid("required_contexts");
  const merge = optionalBoolean(body.auto_merge, true);
  if (merge === undefined) invalid("auto_merge");
  const transient = optionalBoolean(body.transient_environment, false);
  if (transient === undefined) invalid("transient_environment");
  const production = body.production_environment;
  if (production !== undefined && typeof production !== "boolean") invalid("production_environment");
  if (
    errors.length > 0 ||
    typeof ref !== "string" ||
    typeof task !== "string" ||
    typeof environment !== "string" ||
    description === undefined ||
    payload === undefined ||
    required === "invalid" ||
    merge === undefined ||
    transient === undefined ||
    (production !== undefined && typeof production !== "boolean")
  )
    return errors;
  return { ref, task, environment, description, payload, required, autoMerge: merge, transient, production };
}

// POST /repos/{owner}/{repo}/deployments – needs push access and repo or repo_deployment
export async function createDeployment(ctx: RestContext): Promise<void> {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "write",
    scopes: ["repo_deployment"],
    docs: CREATE_DOCS,
  });
  if (!access) return;
  const input = parseDeployment(ctx.body);
  if (Array.isArray(input)) return validationFailed(ctx, input, CREATE_DOCS);
  const repository = access.repository.fullName;
  const nowMs = ctx.state.now();

  // GitHub first brings a branch up to date with the default branch; the deployment needs a request of its own then.
  if (input.autoMerge) {
    const merged = await autoMerge(ctx.state, { repository, ref: input.ref, author: access.actor, nowMs });
    if (merged === "unreachable") return fail(ctx, 503, "Service Unavailable", CREATE_DOCS);
    if (merged) return reply(ctx, 202, { message: merged.message });
  }
  const resolved = await resolveDeploymentRef(ctx.state, repository, input.ref);
  if (resolved === "unreachable") return fail(ctx, 503, "Service Unavailable", CREATE_DOCS);
  const { sha } = resolved;
  const failing = failingContexts(ctx.state.records, repository, sha, input.required);
  if (failing.length > 0) {
    return fail(ctx, 409, `Conflict: Commit status checks failed for ${input.ref}.`, CREATE_DOCS, {
      errors: [{ contexts: failing, resource: "Deployment", field: "required_contexts", code: "invalid" }],
    });
  }
  const now = isoTime(nowMs);
  const record: DeploymentRecord = {
    id: ctx.state.records.id(),
    repository,
    sha,
    ref: input.ref,
    task: input.task,
    payload: input.payload,
    environment: input.environment,
    description: input.description,
    transientEnvironment: input.transient,
    productionEnvironment: input.production ?? input.environment === "production",
    creator: access.actor.login,
    createdAt: now,
  };
  ctx.state.records.deployments.push(record);
  ctx.state.records.environments.ensure(repository, input.environment, now);
  reply(ctx, 201, deployment(record, access.actor, ctx.base));
}
