import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject, parseJson, readBody } from "../http/body";
import type { JsonObject } from "../http/body";
import { sendJson } from "../http/respond";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import { parsePermissions, withMetadata } from "../world/app-permissions";
import type { AppRecord } from "../world/apps";
import type { Repository } from "../world/world";
import { parseAppOptions } from "./app-options-json";
import { registerConfiguredApps } from "./register-apps";

type Result = { status: number; body: unknown };
type Handler = (state: StandInState, body: JsonObject) => Result;

const bad = (message: string): Result => ({ status: 400, body: { error: message } });
const ok = (body: unknown): Result => ({ status: 200, body });

function appOf(state: StandInState, body: JsonObject): AppRecord | undefined {
  return typeof body.app === "string" ? state.world.apps.bySlug(body.app) : undefined;
}

function installationOf(state: StandInState, body: JsonObject) {
  return typeof body.installation === "number" ? state.world.installations.byId(body.installation) : undefined;
}

/** What the control plane shows of an App: everything but its secrets. */
function describeApp(state: StandInState, app: AppRecord) {
  return {
    id: app.id,
    slug: app.slug,
    name: app.name,
    owner: app.owner.login,
    client_id: app.clientId,
    public: app.public,
    permissions: app.permissions,
    events: app.events,
    webhook_url: app.webhookUrl,
    callback_urls: app.callbackUrls,
    setup_url: app.setupUrl,
    installations: state.world.installations.ofApp(app.id).map((i) => i.id),
  };
}

function describeInstallations(state: StandInState) {
  return state.world.installations.all().map((i) => ({
    id: i.id,
    app: state.world.apps.byId(i.appId)?.slug ?? null,
    account: i.account.login,
    repository_selection: i.repositorySelection,
    repositories: [...state.world.repositories.values()]
      .filter((r) => i.repositorySelection === "selected" && i.repositoryIds.has(r.id))
      .map((r) => r.fullName),
    permissions: i.permissions,
  }));
}

const POSTS: Record<string, Handler> = {
  // A StandInAppOptions object; answers the credentials, private key included (its one hand-out)
  "/_stand-in/apps": (state, body) => {
    const parsed = parseAppOptions(body);
    if (parsed.kind === "invalid") return bad(parsed.reason);
    if (parsed.value.privateKeyFile !== undefined) return bad("privateKeyFile is for start-up configuration only");
    try {
      const [credentials] = registerConfiguredApps(state.world, [parsed.value], state.now());
      return ok(credentials);
    } catch (error) {
      return bad(error instanceof Error ? error.message : "invalid App");
    }
  },
  // {"app", "permissions", "events"?}; the App asks for more (or less): installations keep their grant until approved
  "/_stand-in/apps/permissions": (state, body) => {
    const app = appOf(state, body);
    const permissions = parsePermissions(body.permissions);
    if (!app) return bad("unknown app (give its slug)");
    if (!permissions) return bad("permissions must map names to read, write or admin");
    app.permissions = withMetadata(permissions);
    if (Array.isArray(body.events) && body.events.every((e) => typeof e === "string")) app.events = body.events;
    app.updatedAt = isoTime(state.now());
    return ok(describeApp(state, app));
  },
  // {"login", "app"?, "refresh"?}; the user's App tokens run out now (with "refresh": true, refresh tokens too)
  "/_stand-in/apps/user-tokens/expire": (state, body) => {
    const user = typeof body.login === "string" ? state.world.user(body.login) : undefined;
    const app = body.app === undefined ? null : (appOf(state, body) ?? "unknown");
    if (!user) return bad("unknown login");
    if (app === "unknown") return bad("unknown app (give its slug)");
    const expired = state.tokens.expireAppUserTokens({
      userId: user.id,
      appId: app?.id ?? null,
      now: state.now(),
      refresh: body.refresh === true,
    });
    return ok({ expired });
  },
  // {"login", "app"}; the user revokes the App's authorization: its user and refresh tokens answer 401 from now on
  "/_stand-in/apps/authorizations/revoke": (state, body) => {
    const user = typeof body.login === "string" ? state.world.user(body.login) : undefined;
    const app = appOf(state, body);
    if (!user || !app) return bad("give login and app (its slug)");
    return ok({ revoked: state.tokens.revokeAppAuthorization(user.id, app.id) });
  },
  // {"app", "account", "repositories"?: [names]}; installs (or changes the repositories of) the App on the account
  "/_stand-in/installations": (state, body) => {
    const app = appOf(state, body);
    const account = typeof body.account === "string" ? state.world.account(body.account) : undefined;
    if (!app || !account) return bad("give app (its slug) and account");
    let repositories: "all" | Repository[] = "all";
    if (body.repositories !== undefined) {
      const names = Array.isArray(body.repositories) ? body.repositories : [null];
      const found = names.map((n) => (typeof n === "string" ? state.world.repository(account.login, n) : undefined));
      if (found.some((r) => r === undefined)) return bad("repositories must be names of the account's repositories");
      repositories = found.filter((r): r is Repository => r !== undefined);
    }
    const { installation, created } = state.world.installations.install({
      app,
      account,
      repositories,
      at: isoTime(state.now()),
    });
    return ok({ id: installation.id, created });
  },
  // {"installation": id}; the account accepts the permissions the App asks for now
  "/_stand-in/installations/approve": (state, body) => {
    const installation = installationOf(state, body);
    const app = installation ? state.world.apps.byId(installation.appId) : undefined;
    if (!installation || !app) return bad("unknown installation");
    state.world.installations.approve(installation, app, isoTime(state.now()));
    return ok({ id: installation.id, permissions: installation.permissions });
  },
  // {"installation": id}; uninstalls: its tokens answer 401 from now on
  "/_stand-in/installations/delete": (state, body) => {
    const installation = installationOf(state, body);
    if (!installation) return bad("unknown installation");
    state.world.installations.uninstall(installation.id);
    return ok({ deleted: installation.id });
  },
};

const GETS: Record<string, (state: StandInState) => unknown> = {
  "/_stand-in/apps": (state) => state.world.apps.list().map((app) => describeApp(state, app)),
  "/_stand-in/installations": describeInstallations,
};

export function isAppControlPath(path: string): boolean {
  return /^\/_stand-in\/(?:apps|installations)(?:\/|$)/.test(path);
}

// /_stand-in/apps*, /_stand-in/installations* – the GitHub App part of the control plane (JSON, no authentication)
export async function handleAppControl(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const read = GETS[path];
  if (req.method === "GET" && read) return sendJson(res, 200, read(state));
  const write = POSTS[path];
  if (req.method !== "POST" || !write) return sendJson(res, 404, { error: "not found" });
  const parsed = parseJson(await readBody(req));
  if (!isJsonObject(parsed)) return sendJson(res, 400, { error: "body must be a JSON object" });
  const result = write(state, parsed);
  sendJson(res, result.status, result.body);
}
