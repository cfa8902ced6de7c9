import { paginate } from "../http/pagination";
import type { RestContext } from "../rest/context";
import { notFound, reply } from "../rest/context";
import type { AppRecord } from "../world/apps";
import { installationCovers } from "../world/installations";
import type { InstallationRecord } from "../world/installations";
import { key } from "../world/names";
import { installationShape, integration } from "./shapes";

const DOCS = "https://docs.github.com/rest/apps/apps";

/** The App a JWT route acts for; the router lets only App JWTs reach these handlers. */
function callingApp(ctx: RestContext): AppRecord | null {
  if (ctx.caller.kind === "app") return ctx.caller.app;
  notFound(ctx, DOCS);
  return null;
}

function replyInstallation(ctx: RestContext, app: AppRecord, found: InstallationRecord | undefined, docs: string) {
  if (!found) return notFound(ctx, docs);
  reply(ctx, 200, installationShape(found, app, ctx.base));
}

// GET /app – the App the JWT was signed for, with how many installations it has
export function getAuthenticatedApp(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const installationsCount = ctx.state.world.installations.ofApp(app.id).length;
  reply(ctx, 200, integration(app, ctx.base, { installationsCount }));
}

// GET /app/installations – every installation of the App, oldest first, paged
export function listAppInstallations(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const all = ctx.state.world.installations.ofApp(app.id).map((i) => installationShape(i, app, ctx.base));
  const page = paginate(all, ctx.url, ctx.base);
  reply(ctx, 200, page.items, page.link ? { link: page.link } : {});
}

// GET /app/installations/{installation_id} – one of the App's installations; another App's answers 404
export function getAppInstallation(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const id = Number(ctx.params.installation_id);
  const found = Number.isSafeInteger(id) ? ctx.state.world.installations.byId(id) : undefined;
  const docs = `${DOCS}#get-an-installation-for-the-authenticated-app`;
  replyInstallation(ctx, app, found?.appId === app.id ? found : undefined, docs);
}

// GET /repos/{owner}/{repo}/installation – the App's installation that reaches the repository, if any
export function getRepositoryInstallation(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const repository = ctx.state.world.repository(ctx.params.owner ?? "", ctx.params.repo ?? "");
  const found = repository
    ? ctx.state.world.installations.ofApp(app.id).find((i) => installationCovers(i, repository))
    : undefined;
  replyInstallation(ctx, app, found, `${DOCS}#get-a-repository-installation-for-the-authenticated-app`);
}

// GET /orgs/{org}/installation – the App's installation on an organization
export function getOrganizationInstallation(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const org = ctx.state.world.organizations.get(key(ctx.params.org ?? ""));
  const found = org ? ctx.state.world.installations.onAccount(app.id, org.login) : undefined;
  replyInstallation(ctx, app, found, `${DOCS}#get-an-organization-installation-for-the-authenticated-app`);
}

// GET /users/{username}/installation – the App's installation on an account (users, and organizations too)
export function getUserInstallation(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const account = ctx.state.world.account(ctx.params.username ?? "");
  const found = account ? ctx.state.world.installations.onAccount(app.id, account.login) : undefined;
  replyInstallation(ctx, app, found, `${DOCS}#get-a-user-installation-for-the-authenticated-app`);
}
