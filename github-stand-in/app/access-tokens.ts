import { fail, notFound, reply, validationFailed } from "../rest/context";
import type { RestContext } from "../rest/context";
import { repository as repositoryShape } from "../shapes/repository";
import { parsePermissions, permissionsWithin, withMetadata } from "../world/app-permissions";
import { installationCovers } from "../world/installations";
import type { InstallationRecord } from "../world/installations";
import type { Repository, World } from "../world/world";
import { installationTokenShape } from "./shapes";

const DOCS = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";
const MAX_REPOSITORIES = 500;
const NOT_IN_INSTALLATION =
  "There is at least one repository that does not exist or is not accessible to the parent installation.";
const NOT_GRANTED = "The permissions requested are not granted to this installation.";

type Narrowing =
  | { kind: "all" }
  | { kind: "some"; repositories: Repository[] }
  | { kind: "invalid"; field: string }
  | { kind: "unreachable" };

function isList<T>(value: unknown, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(item);
}

/** The repositories asked for by name (within the installation's account) and by id. */
function narrowing(world: World, installation: InstallationRecord, body: Record<string, unknown>): Narrowing {
  const names = body.repositories;
  const ids = body.repository_ids;
  if (names !== undefined && !isList(names, (v): v is string => typeof v === "string")) {
    return { kind: "invalid", field: "repositories" };
  }
  if (ids !== undefined && !isList(ids, (v): v is number => Number.isSafeInteger(v))) {
    return { kind: "invalid", field: "repository_ids" };
  }
  if (names === undefined && ids === undefined) return { kind: "all" };
  const found = [
    ...(names ?? []).map((name) => world.repository(installation.account.login, name)),
    ...(ids ?? []).map((id) => world.repositoryById(id)),
  ];
  const reachable = found.filter((r): r is Repository => r !== undefined && installationCovers(installation, r));
  if (reachable.length !== found.length) return { kind: "unreachable" };
  return { kind: "some", repositories: [...new Map(reachable.map((r) => [r.id, r])).values()] };
}

// POST /app/installations/{installation_id}/access_tokens – an hour-long ghs_ token, optionally narrowed to some
// repositories (names or ids) and fewer permissions, never beyond what the installation was granted
export function createInstallationToken(ctx: RestContext): void {
  if (ctx.caller.kind !== "app") return notFound(ctx, DOCS);
  const app = ctx.caller.app;
  const { world } = ctx.state;
  const id = Number(ctx.params.installation_id);
  const installation = Number.isSafeInteger(id) ? world.installations.byId(id) : undefined;
  if (!installation || installation.appId !== app.id) return notFound(ctx, DOCS);

  const narrowed = narrowing(world, installation, ctx.body);
  if (narrowed.kind === "unreachable") return fail(ctx, 422, NOT_IN_INSTALLATION, DOCS);
  if (narrowed.kind === "invalid") {
    return validationFailed(ctx, [{ resource: "InstallationToken", field: narrowed.field, code: "invalid" }], DOCS);
  }
  const repositories = narrowed.kind === "some" ? narrowed.repositories : null;
  if (repositories && repositories.length > MAX_REPOSITORIES) {
    return fail(ctx, 422, `You may only request up to ${MAX_REPOSITORIES} repositories.`, DOCS);
  }
  const asked = ctx.body.permissions === undefined ? installation.permissions : parsePermissions(ctx.body.permissions);
  if (!asked) {
    return validationFailed(ctx, [{ resource: "InstallationToken", field: "permissions", code: "invalid" }], DOCS);
  }
  if (!permissionsWithin(asked, installation.permissions)) return fail(ctx, 422, NOT_GRANTED, DOCS);

  const token = ctx.state.tokens.issueInstallation(
    {
      installationId: installation.id,
      appId: app.id,
      // Metadata comes with every token, asked for or not.
      permissions: withMetadata(asked),
      repositoryIds: repositories ? repositories.map((r) => r.id) : null,
    },
    ctx.state.now(),
  );
  const shapes = repositories?.flatMap((r) => {
    const owner = world.account(r.owner);
    return owner ? [repositoryShape(r, owner, ctx.base, { withDownloads: ctx.apiVersion !== "2026-03-10" })] : [];
  });
  const selection = repositories ? "selected" : installation.repositorySelection;
  reply(ctx, 201, installationTokenShape(token, selection, shapes ?? null));
}
