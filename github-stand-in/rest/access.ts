import { hasAnyScope } from "../oauth/scopes";
import type { AppPermissions } from "../world/app-permissions";
import { intersectPermissions, levelAtLeast, roleFromPermissions } from "../world/app-permissions";
import type { AppRecord } from "../world/apps";
import { installationCovers } from "../world/installations";
import type { Role } from "../world/permissions";
import { roleAtLeast } from "../world/permissions";
import type { Account, Repository, UserRecord, World } from "../world/world";
import type { Authentication } from "./authenticate";
import type { RestContext } from "./context";
import { fail } from "./context";

export interface RepositoryAccess {
  repository: Repository;
  owner: Account;
  /** The user's role; for an installation token, the role its permissions amount to (contents:write is write…). */
  role: Role;
  /** Who acts, as GitHub records it: the user, or the App's `<slug>[bot]` for an installation token. */
  viewer: Account;
  /** The GitHub App acting (installation token or App user token); null for an OAuth App's token. */
  app: AppRecord | null;
}

/** A GitHub App permission at a level, e.g. checks:write. */
export interface PermissionNeed {
  permission: string;
  level: "read" | "write";
}

interface Requirement extends PermissionNeed {
  /** The OAuth scopes a user's OAuth App token needs (any one of them, or one that implies it). */
  scopes: readonly string[];
  /** The repository role a user needs, whether the token is an OAuth App's or a GitHub App's. */
  role: Role;
}

export type RepositoryDecision =
  | { kind: "allowed"; role: Role; actor: Account; app: AppRecord | null }
  /** 404: the caller cannot see the repository (GitHub never confirms a private repository exists). */
  | { kind: "hidden" }
  /** 403 "Resource not accessible by integration": an App caller sees it but lacks the permission. */
  | { kind: "forbidden" };

const NOT_ACCESSIBLE = "Resource not accessible by integration";

/** The role a user needs for a permission, as GitHub's classic rules put it: admin for administration. */
function userRole(need: PermissionNeed): Role {
  if (need.permission === "administration") return "admin";
  if (need.permission === "metadata") return "read";
  return need.level;
}

/** Every stand-in repository is private, so an OAuth token needs `repo` or the narrower scope GitHub accepts. */
function oauthScopes(permission: string): string[] {
  if (permission === "statuses") return ["repo:status"];
  if (permission === "deployments") return ["repo_deployment"];
  return ["repo"];
}

/**
 * The decision itself, free of HTTP: may this caller use the permission on this repository?
 * - an OAuth App token: its scopes and the user's role;
 * - an installation token: the repository is the installation's (and the token's, when narrowed), and the token
 *   and the installation both grant the permission;
 * - a GitHub App user token: the user sees the repository, the App is installed on it, and both may (the
 *   intersection GitHub documents).
 */
export function decideRepositoryAccess(
  world: World,
  auth: Authentication,
  repository: Repository,
  requirement: Requirement,
): RepositoryDecision {
  const grants = (permissions: AppPermissions) => levelAtLeast(permissions[requirement.permission], requirement.level);
  if (auth.kind === "token" && auth.app === null) {
    if (!hasAnyScope(auth.token.scopes, requirement.scopes)) return { kind: "hidden" };
    const role = world.roleOf(auth.user, repository);
    if (role === "none" || !roleAtLeast(role, requirement.role)) return { kind: "hidden" };
    return { kind: "allowed", role, actor: auth.user, app: null };
  }
  if (auth.kind === "token" && auth.app !== null) {
    const app = auth.app;
    const installation = world.installations.ofApp(app.id).find((i) => installationCovers(i, repository));
    const role = world.roleOf(auth.user, repository);
    if (!installation || role === "none") return { kind: "hidden" };
    if (!grants(installation.permissions) || !roleAtLeast(role, requirement.role)) return { kind: "forbidden" };
    return { kind: "allowed", role, actor: auth.user, app };
  }
  if (auth.kind === "installation") {
    const narrowed = auth.token.repositoryIds;
    if (!installationCovers(auth.installation, repository) || (narrowed && !narrowed.includes(repository.id))) {
      return { kind: "hidden" };
    }
    const effective = intersectPermissions(auth.token.permissions, auth.installation.permissions);
    if (!grants(effective)) return { kind: "forbidden" };
    return { kind: "allowed", role: roleFromPermissions(effective), actor: auth.app.bot, app: auth.app };
  }
  return auth.kind === "app" ? { kind: "forbidden" } : { kind: "hidden" };
}

function pathRepository(ctx: RestContext): Repository | undefined {
  return ctx.state.world.repository(ctx.params.owner ?? "", ctx.params.repo ?? "");
}

function answer(
  ctx: RestContext,
  requirement: Requirement,
  docs: string,
  repository: Repository | undefined,
): RepositoryAccess | null {
  const owner = repository ? ctx.state.world.account(repository.owner) : undefined;
  const decision: RepositoryDecision =
    repository && owner
      ? decideRepositoryAccess(ctx.state.world, ctx.caller, repository, requirement)
      : { kind: "hidden" };
  if (decision.kind === "allowed" && repository && owner) {
    return { repository, owner, role: decision.role, viewer: decision.actor, app: decision.app };
  }
  // GitHub names the permission an App token lacked (FACTS 2.0); OAuth tokens get x-accepted-oauth-scopes instead.
  const appCaller = ctx.caller.kind === "installation" || (ctx.caller.kind === "token" && ctx.caller.app !== null);
  const headers = appCaller
    ? { "x-accepted-github-permissions": `${requirement.permission}=${requirement.level}` }
    : undefined;
  if (decision.kind === "forbidden") fail(ctx, 403, NOT_ACCESSIBLE, docs, {}, headers);
  else fail(ctx, 404, "Not Found", docs, {}, headers);
  return null;
}

/**
 * May the caller (a user's OAuth token, a GitHub App user token or an installation token) use `permission` at
 * `level` on the repository (by default the one in the path)? Answers GitHub's 404 or 403 itself when not.
 * Permission names are GitHub App ones: checks, statuses, deployments, contents, metadata, pull_requests,
 * administration, environments.
 */
export function repositoryPermission(
  ctx: RestContext,
  options: PermissionNeed & { docs: string; scopes?: string[] },
  repository = pathRepository(ctx),
): RepositoryAccess | null {
  const requirement: Requirement = {
    permission: options.permission,
    level: options.level,
    scopes: options.scopes ?? oauthScopes(options.permission),
    role: userRole(options),
  };
  return answer(ctx, requirement, options.docs, repository);
}

/** The App permission an older route's OAuth terms stand for, so its App callers meet the same rule. */
function permissionFor(minimum: Role, scopes: string[]): PermissionNeed {
  if (minimum === "admin") return { permission: "administration", level: "write" };
  const level = roleAtLeast(minimum, "write") ? "write" : "read";
  if (scopes.includes("repo:status")) return { permission: "statuses", level };
  if (scopes.includes("repo_deployment")) return { permission: "deployments", level };
  return { permission: "contents", level };
}

/**
 * The OAuth-era rule: `repo` (or a narrower scope the endpoint accepts) and at least `minimum` role; anything less
 * answers 404, never 403, so private repositories are not confirmed to exist. App callers are held to the App
 * permission given, or the one the scopes and role stand for (repo:status → statuses, repo → contents).
 */
export function repositoryAccess(
  ctx: RestContext,
  options: { minimum: Role; scopes: string[]; docs: string; permission?: PermissionNeed },
  repository = pathRepository(ctx),
): RepositoryAccess | null {
  const need = options.permission ?? permissionFor(options.minimum, options.scopes);
  return answer(ctx, { ...need, scopes: options.scopes, role: options.minimum }, options.docs, repository);
}

/**
 * Repositories a user-acting caller can list, with the user's role: all the user reaches for an OAuth token with
 * `repo`, and only those the App is installed on for a GitHub App user token. Installation tokens list nothing here.
 */
export function visibleRepositories(world: World, auth: Authentication): { repository: Repository; role: Role }[] {
  if (auth.kind !== "token") return [];
  const user: UserRecord = auth.user;
  if (auth.app === null) return hasAnyScope(auth.token.scopes, ["repo"]) ? world.reachable(user) : [];
  const installations = world.installations.ofApp(auth.app.id);
  return world.reachable(user).filter((e) => installations.some((i) => installationCovers(i, e.repository)));
}
