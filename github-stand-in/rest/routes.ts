import { APP_ROUTES } from "../app/routes";
import type { CallerRule } from "./callers";
import { USER_CALLERS } from "./callers";
import { getBranchRules, getRequiredStatusChecks } from "./branch-rules";
import type { RestContext } from "./context";
import { getCheckRun, listCheckRuns } from "./check-runs";
import { createCheckRun, updateCheckRun } from "./check-runs-write";
import { getCheckSuite, listCheckSuites } from "./check-suites";
import { compareCommits, getCommit } from "./commits";
import { createDeployment } from "./deployments";
import { getDeployment, listDeployments } from "./deployments-read";
import { createDeploymentStatus, getDeploymentStatus, listDeploymentStatuses } from "./deployments-statuses";
import { getEnvironment, listEnvironments, putEnvironment } from "./environments";
import { getCollaboratorPermission, getRepository, getRepositoryById, listUserRepositories } from "./repositories";
import { createCommitStatus, getCombinedStatus, listCommitStatuses } from "./statuses";
import { getEmails, getOrganizations, getTeamMembership, getUser, getUserByLogin } from "./users";

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT";
  /** OpenAPI-style path; `{ref}` may span slashes (heads/main), other parameters may not. */
  path: string;
  /** Reported in x-accepted-oauth-scopes. */
  scopes: string[];
  /** Which callers it serves (default: users and installations, not an App's JWT). */
  callers?: CallerRule;
  handle: (ctx: RestContext) => void | Promise<void>;
}

// Check runs and suites, deployments read back, and environments: what GitHub write-back reads and writes.
const REPORT_ROUTES: Route[] = [
  { method: "POST", path: "/repos/{owner}/{repo}/check-runs", scopes: ["repo"], handle: createCheckRun },
  { method: "GET", path: "/repos/{owner}/{repo}/check-runs/{check_run_id}", scopes: ["repo"], handle: getCheckRun },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    scopes: ["repo"],
    handle: updateCheckRun,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/check-suites/{check_suite_id}",
    scopes: ["repo"],
    handle: getCheckSuite,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments",
    scopes: ["repo", "repo_deployment"],
    handle: listDeployments,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}",
    scopes: ["repo", "repo_deployment"],
    handle: getDeployment,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    scopes: ["repo", "repo_deployment"],
    handle: listDeploymentStatuses,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}",
    scopes: ["repo", "repo_deployment"],
    handle: getDeploymentStatus,
  },
  { method: "GET", path: "/repos/{owner}/{repo}/environments", scopes: ["repo"], handle: listEnvironments },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/environments/{environment_name}",
    scopes: ["repo"],
    handle: getEnvironment,
  },
  {
    method: "PUT",
    path: "/repos/{owner}/{repo}/environments/{environment_name}",
    scopes: ["repo"],
    handle: putEnvironment,
  },
];

export const ROUTES: Route[] = [
  { method: "GET", path: "/user", scopes: [], callers: USER_CALLERS, handle: getUser },
  { method: "GET", path: "/user/emails", scopes: ["user", "user:email"], callers: USER_CALLERS, handle: getEmails },
  { method: "GET", path: "/user/repos", scopes: [], callers: USER_CALLERS, handle: listUserRepositories },
  { method: "GET", path: "/users/{username}", scopes: [], handle: getUserByLogin },
  {
    method: "GET",
    path: "/user/orgs",
    scopes: ["admin:org", "read:org", "repo", "user", "write:org"],
    callers: USER_CALLERS,
    handle: getOrganizations,
  },
  {
    method: "GET",
    path: "/orgs/{org}/teams/{team_slug}/memberships/{username}",
    scopes: ["admin:org", "read:org", "write:org"],
    handle: getTeamMembership,
  },
  { method: "GET", path: "/repos/{owner}/{repo}", scopes: ["repo"], handle: getRepository },
  // Undocumented, but where GitHub's 301s for renamed and transferred repositories point.
  { method: "GET", path: "/repositories/{repository_id}", scopes: ["repo"], handle: getRepositoryById },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    scopes: ["repo"],
    handle: getCollaboratorPermission,
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/statuses/{sha}",
    scopes: ["repo", "repo:status"],
    handle: createCommitStatus,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/status",
    scopes: ["repo", "repo:status"],
    handle: getCombinedStatus,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/statuses",
    scopes: ["repo", "repo:status"],
    handle: listCommitStatuses,
  },
  { method: "GET", path: "/repos/{owner}/{repo}/commits/{ref}/check-runs", scopes: ["repo"], handle: listCheckRuns },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/check-suites",
    scopes: ["repo"],
    handle: listCheckSuites,
  },
  // After the two above: {ref} spans slashes, so this one would swallow their paths.
  { method: "GET", path: "/repos/{owner}/{repo}/commits/{ref}", scopes: ["repo"], handle: getCommit },
  { method: "GET", path: "/repos/{owner}/{repo}/compare/{basehead}", scopes: ["repo"], handle: compareCommits },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/deployments",
    scopes: ["repo", "repo_deployment"],
    handle: createDeployment,
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    scopes: ["repo", "repo_deployment"],
    handle: createDeploymentStatus,
  },
  ...REPORT_ROUTES,
  // A branch's required checks, from its rulesets and from its classic protection: what a release gate waits for.
  { method: "GET", path: "/repos/{owner}/{repo}/rules/branches/{branch}", scopes: ["repo"], handle: getBranchRules },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
    scopes: ["repo"],
    handle: getRequiredStatusChecks,
  },
  ...APP_ROUTES,
];

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    names.push(name);
    return name === "ref" ? "(.+?)" : "([^/]+)";
  });
  return { route, names, pattern: new RegExp(`^${source}$`) };
});

export type RouteMatch = { route: Route; params: Record<string, string> };

/** Matches a path below the API prefix; a trailing slash or a malformed escape matches nothing, as on GitHub. */
export function matchRoute(method: string, path: string): RouteMatch | null {
  for (const { route, pattern, names } of COMPILED) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
      return { route, params };
    } catch {
      return null;
    }
  }
  return null;
}
