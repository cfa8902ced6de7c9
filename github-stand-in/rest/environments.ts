import { paginate } from "../http/pagination";
import { simpleUser } from "../shapes/user";
import { apiUrl, isoTime, nodeId } from "../shapes/urls";
import type { EnvironmentRecord } from "../world/records";
import type { RestContext } from "./context";
import { fail, notFound, reply } from "./context";
import { isEnvironmentName, parseEnvironmentBody } from "./environments-input";
import { reportAccess } from "./report-access";

const GET_DOCS = "https://docs.github.com/rest/deployments/environments#get-an-environment";
const LIST_DOCS = "https://docs.github.com/rest/deployments/environments#list-environments";
const PUT_DOCS = "https://docs.github.com/rest/deployments/environments#create-or-update-an-environment";

function protectionRules(ctx: RestContext, env: EnvironmentRecord): Record<string, unknown>[] {
  const rule = (n: number, type: string, extra: Record<string, unknown>) => ({
    id: env.id * 10 + n,
    node_id: nodeId("Gate", env.id * 10 + n),
    type,
    ...extra,
  });
  const rules: Record<string, unknown>[] = [];
  if (env.waitTimer !== null && env.waitTimer > 0) rules.push(rule(1, "wait_timer", { wait_timer: env.waitTimer }));
  if (env.reviewers.length > 0) {
    const reviewers = env.reviewers.flatMap((r) => {
      const user = ctx.state.world.userById(r.id);
      return user ? [{ type: "User", reviewer: simpleUser(user, ctx.base) }] : [];
    });
    rules.push(rule(2, "required_reviewers", { prevent_self_review: env.preventSelfReview, reviewers }));
  }
  if (env.branchPolicy) rules.push(rule(3, "branch_policy", {}));
  return rules;
}

/** `environment`; its html_url is the stand-in's Environments view filtered to it, as GitHub's points at its own. */
export function environmentShape(ctx: RestContext, env: EnvironmentRecord): Record<string, unknown> {
  const name = encodeURIComponent(env.name);
  return {
    id: env.id,
    node_id: nodeId("Environment", env.id),
    name: env.name,
    url: apiUrl(ctx.base, `/repos/${env.repository}/environments/${name}`),
    html_url: `${ctx.base}/${env.repository}/deployments/activity_log?environments_filter=${name}`,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    protection_rules: protectionRules(ctx, env),
    deployment_branch_policy: env.branchPolicy
      ? {
          protected_branches: env.branchPolicy.protectedBranches,
          custom_branch_policies: env.branchPolicy.customBranchPolicies,
        }
      : null,
  };
}

// GET /repos/{owner}/{repo}/environments – {total_count, environments}, oldest first as GitHub lists them
export function listEnvironments(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "deployments", level: "read", scopes: ["repo"], docs: LIST_DOCS });
  if (!access) return;
  const all = ctx.state.records.environments.of(access.repository.fullName);
  const page = paginate(all, ctx.url, ctx.base);
  reply(
    ctx,
    200,
    { total_count: all.length, environments: page.items.map((e) => environmentShape(ctx, e)) },
    page.link ? { link: page.link } : {},
  );
}

// GET /repos/{owner}/{repo}/environments/{environment_name} – anyone who can read the repository
export function getEnvironment(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "deployments", level: "read", scopes: ["repo"], docs: GET_DOCS });
  if (!access) return;
  const env = ctx.state.records.environments.find(access.repository.fullName, ctx.params.environment_name ?? "");
  if (!env) return notFound(ctx, GET_DOCS);
  reply(ctx, 200, environmentShape(ctx, env));
}

// PUT /repos/{owner}/{repo}/environments/{environment_name} – creates or updates; repository admins only
export function putEnvironment(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "administration", level: "write", scopes: ["repo"], docs: PUT_DOCS });
  if (!access) return;
  const name = ctx.params.environment_name ?? "";
  if (!isEnvironmentName(name)) return fail(ctx, 422, "Invalid request.\n\nThe environment name is invalid.", PUT_DOCS);
  const parsed = parseEnvironmentBody(ctx.body);
  if (parsed.kind === "invalid") return fail(ctx, 422, parsed.message, PUT_DOCS);
  const unknown = (parsed.settings.reviewers ?? []).find((r) => r.type === "Team" || !ctx.state.world.userById(r.id));
  // The stand-in's teams have no ids, so only users can be reviewers here.
  if (unknown) return fail(ctx, 422, `Reviewer ${unknown.type} ${unknown.id} does not exist.`, PUT_DOCS);
  const now = isoTime(ctx.state.now());
  const env = ctx.state.records.environments.ensure(access.repository.fullName, name, now);
  Object.assign(env, parsed.settings, { updatedAt: now });
  reply(ctx, 200, environmentShape(ctx, env));
}
