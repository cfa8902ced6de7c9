// Route handlers called as Next calls them, in tests on a real PostgreSQL and the GitHub stand-in: the request a
// browser of Stageboard's own origin sends, the viewer the stubbed session hands the route (its cached repository
// list, which the routes must not trust for decisions), and signed-in users whose sealed GitHub tokens the routes
// use to ask GitHub now. Each test file still mocks the session, the database client and the rate limits itself:
// vi.mock only takes effect in the test file.
import type { Permission } from "@/lib/server/auth/github-access";
import type { Viewer } from "@/lib/server/auth/visibility";
import type { Db } from "@/lib/server/db/client";
import { createSignedInUser, standInAccountId, standInToken } from "@/lib/server/testing/github-user";

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export const ROUTE_ORIGIN = "http://localhost:3000";

export type RouteAnswer<T> = { status: number; data?: T; error?: { code: string; message: string } };

/** A viewer with every repository of `repositories` (name → GitHub id) cached at `cached`. */
export function routeViewer(input: {
  userId: string;
  login: string;
  cached: string;
  repositories: Record<string, bigint>;
  isAdmin?: boolean;
}): Viewer {
  const names = Object.keys(input.repositories);
  return {
    userId: input.userId,
    login: input.login,
    name: null,
    image: null,
    isAdmin: input.isAdmin ?? false,
    repositories: new Map(names.map((name) => [name, input.cached as Permission])),
    repositoryIds: new Map(Object.entries(input.repositories)),
    fetchedAt: new Date(),
    accessError: null,
  };
}

/**
 * Calls `handler` with a request to `path` from `origin` (Stageboard's own unless given; null sends none), a JSON
 * `body` (or `raw` text) for writes, and the route's `params`; answers its status and parsed body.
 */
export async function callRoute<T>(
  handler: RouteHandler,
  request: {
    method: string;
    path: string;
    params: Record<string, string>;
    body?: unknown;
    raw?: string;
    origin?: string | null;
  },
): Promise<RouteAnswer<T>> {
  const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const origin = request.origin === undefined ? ROUTE_ORIGIN : request.origin;
  const response = await handler(
    new Request(`${ROUTE_ORIGIN}${request.path}`, {
      method: request.method,
      headers: { ...(origin ? { origin } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body,
    }),
    { params: Promise.resolve(request.params) },
  );
  return { status: response.status, ...((await response.json()) as Omit<RouteAnswer<T>, "status">) };
}

/**
 * A signed-in User for each login, holding the stand-in's token for them sealed as the adapter seals it (import
 * this once the environment is stubbed: the sealing key is read then). Answers their user ids by login.
 */
export async function signInUsers(db: Db, standInUrl: string, logins: string[]): Promise<Record<string, string>> {
  const seal = (await import("@/lib/server/auth/adapter")).sealToken;
  const users: Record<string, string> = {};
  for (const login of logins) {
    const token = await standInToken(standInUrl, login);
    const githubId = await standInAccountId(standInUrl, login);
    users[login] = await createSignedInUser(db, { login, githubId, token }, seal);
  }
  return users;
}
