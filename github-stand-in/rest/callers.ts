import { UNDECODABLE } from "../app/jwt";
import type { Authentication, CallerKind } from "./authenticate";
import { callerKind } from "./authenticate";

/** Which kinds of caller a route serves, and what GitHub answers the others. */
export interface CallerRule {
  accepts: readonly CallerKind[];
  refusal: { status: 401 | 403; message: string };
}

const NOT_ACCESSIBLE = "Resource not accessible by integration";

/** Most routes: users and installations (the handler decides on the repository); an App's JWT is not enough. */
export const DEFAULT_CALLERS: CallerRule = {
  accepts: ["user", "app-user", "installation", "anonymous"],
  refusal: { status: 403, message: NOT_ACCESSIBLE },
};

/** Routes about "the authenticated user", which an installation is not. */
export const USER_CALLERS: CallerRule = {
  accepts: ["user", "app-user", "anonymous"],
  refusal: { status: 403, message: NOT_ACCESSIBLE },
};

/** Routes that act as the App itself (@octokit/auth-app's requiresAppAuth list). */
export const JWT_CALLERS: CallerRule = { accepts: ["app"], refusal: { status: 401, message: UNDECODABLE } };

export const INSTALLATION_CALLERS: CallerRule = {
  accepts: ["installation"],
  refusal: {
    status: 403,
    message:
      "You must authenticate with an installation access token in order to list repositories for an installation.",
  },
};

export const APP_USER_CALLERS: CallerRule = {
  accepts: ["app-user"],
  refusal: {
    status: 403,
    message: "You must authenticate with an access token authorized to a GitHub App in order to list installations",
  },
};

/** No authentication at all (the manifest conversion): whatever the request carries is ignored. */
export const ANY_CALLER: CallerRule = {
  accepts: ["user", "app-user", "installation", "app", "anonymous"],
  refusal: { status: 403, message: NOT_ACCESSIBLE },
};

/** GitHub's answer to a caller the route does not serve, or null when it does. */
export function refuseCaller(rule: CallerRule, auth: Authentication): { status: number; message: string } | null {
  const kind = callerKind(auth);
  if (kind !== null && rule.accepts.includes(kind)) return null;
  // Without any credentials, routes that want a token say so; the JWT routes still ask for a JWT.
  if (kind === "anonymous" && rule.refusal.status === 403) return { status: 401, message: "Requires authentication" };
  return rule.refusal;
}
