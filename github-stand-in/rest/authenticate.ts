import type { IncomingMessage } from "node:http";
import { looksLikeJwt, verifyAppJwt } from "../app/jwt";
import type { StandInState } from "../state";
import type { AppRecord } from "../world/apps";
import type { InstallationRecord } from "../world/installations";
import type { InstallationTokenRecord, TokenRecord } from "../world/tokens";
import type { UserRecord } from "../world/world";

/**
 * Who a request acts as. `token` is a user: through an OAuth App's token (`app` null, scopes apply) or a GitHub App's
 * user token (`app` set: reach and permissions are the user's and the App's intersection).
 */
export type Authentication =
  | { kind: "token"; token: TokenRecord; user: UserRecord; app: AppRecord | null }
  | { kind: "installation"; token: InstallationTokenRecord; installation: InstallationRecord; app: AppRecord }
  | { kind: "app"; app: AppRecord; jwt: string }
  | { kind: "anonymous" }
  | { kind: "bad"; status: 401 | 404; message: string };

/** The kinds a route may accept; "user" and "app-user" are both `token`, told apart by whether an App issued it. */
export type CallerKind = "user" | "app-user" | "installation" | "app" | "anonymous";

export function callerKind(auth: Authentication): CallerKind | null {
  if (auth.kind === "token") return auth.app ? "app-user" : "user";
  if (auth.kind === "bad") return null;
  return auth.kind;
}

// openid-client sends "Bearer", Octokit and PyGithub send "token" (and "bearer" for JWTs); GitHub accepts either.
const AUTHORIZATION = /^(?:bearer|token)\s+([A-Za-z0-9_.-]{1,4096})\s*$/i;
const BAD_CREDENTIALS = { kind: "bad", status: 401, message: "Bad credentials" } as const;

export function authenticate(req: IncomingMessage, state: StandInState): Authentication {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") return { kind: "anonymous" };
  const credential = AUTHORIZATION.exec(header)?.[1];
  if (!credential) return BAD_CREDENTIALS;
  const now = state.now();
  const { world, tokens } = state;

  if (looksLikeJwt(credential)) {
    const checked = verifyAppJwt(credential, world.apps, now);
    return checked.kind === "app" ? { kind: "app", app: checked.app, jwt: credential } : checked;
  }

  const installationToken = tokens.findInstallation(credential, now);
  if (installationToken) {
    // An uninstalled App's tokens die with the installation.
    const installation = world.installations.byId(installationToken.installationId);
    const app = world.apps.byId(installationToken.appId);
    return installation && app
      ? { kind: "installation", token: installationToken, installation, app }
      : BAD_CREDENTIALS;
  }

  const token = tokens.find(credential, now);
  const user = token ? world.userById(token.userId) : undefined;
  if (!token || !user) return BAD_CREDENTIALS;
  if (token.appId === null) return { kind: "token", token, user, app: null };
  const app = world.apps.byId(token.appId);
  return app ? { kind: "token", token, user, app } : BAD_CREDENTIALS;
}

/** The rate-limit bucket and how GitHub names it when the limit is spent. */
export function rateIdentity(auth: Authentication, address: string | undefined): { bucket: string; subject: string } {
  switch (auth.kind) {
    case "token":
      return { bucket: `token:${auth.token.token}`, subject: `user ID ${auth.user.id}` };
    case "installation":
      return { bucket: `installation:${auth.installation.id}`, subject: `installation ID ${auth.installation.id}` };
    case "app":
      return { bucket: `app:${auth.app.id}`, subject: `app ID ${auth.app.id}` };
    default:
      return { bucket: `address:${address ?? "?"}`, subject: address ?? "this address" };
  }
}
