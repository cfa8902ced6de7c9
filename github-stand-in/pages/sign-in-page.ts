// GET /login, POST /session, POST /logout – signing in to the stand-in itself, as to github.com, for the pages that
// act as a person (a check run's buttons). The demo users have no passwords: one is picked, as on the consent page.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/body";
import { redirect, sendText } from "../http/respond";
import { hidden, userChoices } from "../oauth/authorize-page";
import type { StandInState } from "../state";
import { PAGE_HEADERS, page, text } from "./html";
import { signIn, signOut, viewerOf } from "./sessions";

const HTML = "text/html; charset=utf-8";

/** Where to go after signing in: a path on the stand-in only, never another site (`//host`, `/\host`). */
export function localReturnTo(value: string | null | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value : "/";
}

export function signInPage(state: StandInState, req: IncomingMessage, url: URL): string {
  const returnTo = localReturnTo(url.searchParams.get("return_to"));
  const viewer = viewerOf(state, req);
  const current = viewer
    ? `<p data-testid="signed-in-as">Signed in as @${text(viewer.user.login)}</p>`
    : `<p class="muted">Not signed in.</p>`;
  return page(
    "Sign in to GitHub",
    `<h1>Sign in to GitHub</h1>${current}
<form method="post" action="/session">${hidden("return_to", returnTo)}
${userChoices(state.world, viewer?.user.login ?? null)}
<p><button type="submit">Sign in</button></p></form>`,
  );
}

export async function submitSignIn(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const user = state.world.user(form.get("login") ?? "");
  if (!user) {
    const body = page("Sign in to GitHub", "<h1>Choose a user</h1><p>Pick one of the listed users to sign in as.</p>");
    return sendText(res, 422, HTML, body, PAGE_HEADERS);
  }
  // A new session each time, so a token seen before signing in is worth nothing after.
  signOut(state, req);
  res.setHeader("set-cookie", signIn(state, user));
  redirect(res, localReturnTo(form.get("return_to")));
}

export function submitSignOut(state: StandInState, req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("set-cookie", signOut(state, req));
  redirect(res, "/login");
}
