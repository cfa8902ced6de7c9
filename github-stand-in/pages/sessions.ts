// Who is signed in on the stand-in's own pages, as github.com's `user_session` cookie says it: a random token the
// browser holds (HttpOnly, SameSite=Lax), and, per session, the authenticity token every form of the pages carries.
// A form post counts only with the session's cookie, its authenticity token and, when the browser sends one, the
// stand-in's own Origin, so another site cannot make a signed-in person click.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { StandInState } from "../state";
import type { UserRecord } from "../world/world";

export const SESSION_COOKIE = "user_session";

type Session = { userId: number; authenticityToken: string };

export type Viewer = { user: UserRecord; authenticityToken: string };

const stores = new WeakMap<StandInState, Map<string, Session>>();

function sessionsOf(state: StandInState): Map<string, Session> {
  let sessions = stores.get(state);
  if (!sessions) {
    sessions = new Map();
    stores.set(state, sessions);
  }
  return sessions;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Signs `user` in: the Set-Cookie header to send. */
export function signIn(state: StandInState, user: UserRecord): string {
  const token = randomBytes(24).toString("base64url");
  sessionsOf(state).set(token, { userId: user.id, authenticityToken: randomBytes(24).toString("base64url") });
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax`;
}

/** Ends the request's session, if any: the Set-Cookie header that clears it. */
export function signOut(state: StandInState, req: IncomingMessage): string {
  const token = cookieValue(req, SESSION_COOKIE);
  if (token) sessionsOf(state).delete(token);
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** The signed-in user of a request, or null. */
export function viewerOf(state: StandInState, req: IncomingMessage): Viewer | null {
  const token = cookieValue(req, SESSION_COOKIE);
  const session = token ? sessionsOf(state).get(token) : undefined;
  const user = session ? state.world.userById(session.userId) : undefined;
  return session && user ? { user, authenticityToken: session.authenticityToken } : null;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The signed-in user of a form post that carries the session's authenticity token from the stand-in's own page. */
export function formPoster(
  state: StandInState,
  req: IncomingMessage,
  input: { form: URLSearchParams; ownOrigin: string },
): Viewer | null {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== input.ownOrigin) return null;
  const viewer = viewerOf(state, req);
  const sent = input.form.get("authenticity_token");
  return viewer && sent && sameToken(sent, viewer.authenticityToken) ? viewer : null;
}
