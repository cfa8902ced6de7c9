import type { StandInState } from "../state";
import type { Account, Repository } from "../world/world";
import { repositoryPermission } from "./access";
import type { CheckApp } from "./check-runs-apps";
import { GITHUB_ACTIONS_APP } from "./check-runs-apps";
import type { RestContext } from "./context";

/** GitHub App permission names the check, status, deployment and environment routes ask for. */
export type ReportPermission = "checks" | "statuses" | "deployments" | "administration";

export interface ReportAccess {
  repository: Repository;
  owner: Account;
  /** Who GitHub records as the creator: the user, or the App's `<slug>[bot]` for an installation token. */
  actor: Account;
  /** The GitHub App acting (an installation or an App user token); null for an OAuth App's token. */
  app: CheckApp | null;
}

/**
 * May this caller use `permission` at `level` on the repository in the path? Answers GitHub's 404 (cannot see it)
 * or 403 (an App without the permission) itself when not. `scopes` are what a user's OAuth token needs.
 */
export function reportAccess(
  ctx: RestContext,
  options: { permission: ReportPermission; level: "read" | "write"; scopes: string[]; docs: string },
): ReportAccess | null {
  const access = repositoryPermission(ctx, options);
  if (!access) return null;
  return { repository: access.repository, owner: access.owner, actor: access.viewer, app: access.app };
}

/** The App behind a check run or suite: one of the world's, or GitHub Actions. */
export function appById(state: StandInState, id: number): CheckApp | null {
  return state.world.apps.byId(id) ?? (id === GITHUB_ACTIONS_APP.id ? GITHUB_ACTIONS_APP : null);
}

/** The account a record names as its creator: a user, or an App's `<slug>[bot]`; undefined for outside CI. */
export function creatorAccount(state: StandInState, login: string): Account | undefined {
  return state.world.account(login) ?? state.world.apps.list().find((app) => app.bot.login === login)?.bot;
}
