import { hasAnyScope } from "../oauth/scopes";
import type { Role } from "../world/permissions";
import { roleAtLeast } from "../world/permissions";
import type { Account, Repository, UserRecord } from "../world/world";
import type { RestContext } from "./context";
import { notFound } from "./context";

export interface RepositoryAccess {
  repository: Repository;
  owner: Account;
  role: Role;
  viewer: UserRecord;
}

/**
 * Every stand-in repository is private, so seeing one needs a token with `repo` (or a narrower scope
 * the endpoint accepts) and at least `minimum` role. Anything less answers 404, never 403, so that
 * private repositories are not confirmed to exist.
 */
export function repositoryAccess(
  ctx: RestContext,
  options: { minimum: Role; scopes: string[]; docs: string },
  repository = ctx.state.world.repository(ctx.params.owner ?? "", ctx.params.repo ?? ""),
): RepositoryAccess | null {
  const { viewer, token } = ctx;
  const owner = repository ? ctx.state.world.account(repository.owner) : undefined;
  if (!viewer || !token || !repository || !owner || !hasAnyScope(token.scopes, options.scopes)) {
    notFound(ctx, options.docs);
    return null;
  }
  const role = ctx.state.world.roleOf(viewer, repository);
  if (role === "none" || !roleAtLeast(role, options.minimum)) {
    notFound(ctx, options.docs);
    return null;
  }
  return { repository, owner, role, viewer };
}
