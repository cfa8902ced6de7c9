import { paginate } from "../http/pagination";
import { deployment } from "../shapes/commit";
import { key } from "../world/names";
import type { RestContext } from "./context";
import { notFound, reply } from "./context";
import { creatorAccount, reportAccess } from "./report-access";

const LIST_DOCS = "https://docs.github.com/rest/deployments/deployments#list-deployments";
const GET_DOCS = "https://docs.github.com/rest/deployments/deployments#get-a-deployment";

// GET /repos/{owner}/{repo}/deployments – newest first; sha, ref, task and environment filter exactly
export function listDeployments(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "read",
    scopes: ["repo_deployment"],
    docs: LIST_DOCS,
  });
  if (!access) return;
  const query = ctx.url.searchParams;
  // GitHub documents each filter's default as the word "none": no filter.
  const filter = (name: string) => {
    const value = query.get(name);
    return value === null || value === "none" ? null : value;
  };
  const sha = filter("sha")?.toLowerCase() ?? null;
  const [ref, task, environment] = [filter("ref"), filter("task"), filter("environment")];
  const matching = ctx.state.records.deployments
    .filter((d) => key(d.repository) === key(access.repository.fullName))
    .filter((d) => sha === null || d.sha === sha)
    .filter((d) => ref === null || d.ref === ref)
    .filter((d) => task === null || d.task === task)
    .filter((d) => environment === null || key(d.environment) === key(environment))
    .sort((a, b) => b.id - a.id);
  const page = paginate(matching, ctx.url, ctx.base);
  const body = page.items.map((d) => deployment(d, creatorAccount(ctx.state, d.creator), ctx.base));
  reply(ctx, 200, body, page.link ? { link: page.link } : {});
}

// GET /repos/{owner}/{repo}/deployments/{deployment_id}
export function getDeployment(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "deployments",
    level: "read",
    scopes: ["repo_deployment"],
    docs: GET_DOCS,
  });
  if (!access) return;
  const id = Number(ctx.params.deployment_id);
  const found = Number.isSafeInteger(id) ? ctx.state.records.deployment(access.repository.fullName, id) : undefined;
  if (!found) return notFound(ctx, GET_DOCS);
  reply(ctx, 200, deployment(found, creatorAccount(ctx.state, found.creator), ctx.base));
}
