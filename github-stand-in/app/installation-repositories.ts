import { paginate } from "../http/pagination";
import type { RestContext } from "../rest/context";
import { notFound, reply } from "../rest/context";
import { repository as repositoryShape } from "../shapes/repository";
import { installationRepositories } from "../world/installations";
import type { InstallationRecord } from "../world/installations";
import { key } from "../world/names";
import type { PermissionFlags } from "../world/permissions";
import { permissionFlags } from "../world/permissions";
import type { Repository, UserRecord, World } from "../world/world";
import { installationShape } from "./shapes";

const INSTALLATION_DOCS = "https://docs.github.com/rest/apps/installations";

function repositoryList(
  ctx: RestContext,
  entries: { repository: Repository; permissions?: PermissionFlags }[],
): Record<string, unknown>[] {
  const withDownloads = ctx.apiVersion !== "2026-03-10";
  return entries.flatMap(({ repository, permissions }) => {
    const owner = ctx.state.world.account(repository.owner);
    return owner ? [repositoryShape(repository, owner, ctx.base, { withDownloads, permissions })] : [];
  });
}

/** The installation's repositories the user can also see, with the user's own permissions on each. */
function sharedRepositories(world: World, installation: InstallationRecord, user: UserRecord) {
  return installationRepositories(installation, world.repositories.values())
    .map((repository) => ({ repository, role: world.roleOf(user, repository) }))
    .filter((entry) => entry.role !== "none")
    .map(({ repository, role }) => ({ repository, permissions: permissionFlags(role) }));
}

/** A user can reach an installation on their own account, or one that reaches a repository they can see. */
function userReaches(world: World, installation: InstallationRecord, user: UserRecord): boolean {
  return (
    key(installation.account.login) === key(user.login) || sharedRepositories(world, installation, user).length > 0
  );
}

// GET /installation/repositories – what an installation token reaches: the installation's repositories, or the
// ones the token was narrowed to
export function listInstallationRepositories(ctx: RestContext): void {
  if (ctx.caller.kind !== "installation") return notFound(ctx, INSTALLATION_DOCS);
  const { installation, token } = ctx.caller;
  const repositories = installationRepositories(installation, ctx.state.world.repositories.values()).filter(
    (r) => token.repositoryIds === null || token.repositoryIds.includes(r.id),
  );
  const page = paginate(
    repositoryList(
      ctx,
      repositories.map((repository) => ({ repository })),
    ),
    ctx.url,
    ctx.base,
  );
  reply(
    ctx,
    200,
    {
      total_count: repositories.length,
      repositories: page.items,
      repository_selection: token.repositoryIds === null ? installation.repositorySelection : "selected",
    },
    page.link ? { link: page.link } : {},
  );
}

// GET /user/installations – the App's installations the user behind an App user token can reach
export function listUserInstallations(ctx: RestContext): void {
  if (ctx.caller.kind !== "token" || !ctx.caller.app) return notFound(ctx, INSTALLATION_DOCS);
  const { app, user } = ctx.caller;
  const { world } = ctx.state;
  const reachable = world.installations.ofApp(app.id).filter((i) => userReaches(world, i, user));
  const page = paginate(
    reachable.map((i) => installationShape(i, app, ctx.base)),
    ctx.url,
    ctx.base,
  );
  reply(ctx, 200, { total_count: reachable.length, installations: page.items }, page.link ? { link: page.link } : {});
}

// GET /user/installations/{installation_id}/repositories – of one installation, the repositories the user can see
// too (GitHub's intersection of user and App), each with the user's permissions
export function listUserInstallationRepositories(ctx: RestContext): void {
  const docs = `${INSTALLATION_DOCS}#list-repositories-accessible-to-the-user-access-token`;
  if (ctx.caller.kind !== "token" || !ctx.caller.app) return notFound(ctx, docs);
  const { app, user } = ctx.caller;
  const { world } = ctx.state;
  const id = Number(ctx.params.installation_id);
  const installation = Number.isSafeInteger(id) ? world.installations.byId(id) : undefined;
  if (!installation || installation.appId !== app.id || !userReaches(world, installation, user)) {
    return notFound(ctx, docs);
  }
  const shared = sharedRepositories(world, installation, user);
  const page = paginate(repositoryList(ctx, shared), ctx.url, ctx.base);
  reply(
    ctx,
    200,
    { total_count: shared.length, repository_selection: installation.repositorySelection, repositories: page.items },
    page.link ? { link: page.link } : {},
  );
}
