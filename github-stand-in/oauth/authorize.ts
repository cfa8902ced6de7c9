import type { IncomingMessage, ServerResponse } from "node:http";
import { parseParams, readBody } from "../http/body";
import { redirect, sendText } from "../http/respond";
import type { StandInState } from "../state";
import type { ConsentRequest } from "./authorize-page";
import { consentPage, messagePage } from "./authorize-page";
import type { OAuthClient } from "./clients";
import { findClient } from "./clients";
import { withParams } from "./redirect-uri";
import { normaliseScopes } from "./scopes";

const TROUBLESHOOTING =
  "/apps/building-integrations/setting-up-and-registering-oauth-apps/troubleshooting-authorization-request-errors/";
const HTML = "text/html; charset=utf-8";

type Lookup = (name: string) => string | null;

function html(res: ServerResponse, status: number, body: string): void {
  sendText(res, status, HTML, body, { "cache-control": "no-store", "x-frame-options": "deny" });
}

/**
 * Checks client and redirect URI as GitHub does. Returns where to send the user back, or null after
 * having answered: a 404 page for an unknown client, a redirect_uri_mismatch to the registered
 * callback (or a 400 page when there is none to send it to).
 */
function resolve(
  state: StandInState,
  res: ServerResponse,
  get: Lookup,
): { client: OAuthClient; target: string } | null {
  const client = findClient(state, get("client_id"));
  if (!client) {
    html(res, 404, messagePage("Not found", "No application is registered with this client_id."));
    return null;
  }
  const asked = get("redirect_uri");
  if (asked !== null && client.allowsRedirect(asked)) return { client, target: asked };
  if (asked === null && client.registeredCallback) return { client, target: client.registeredCallback };
  if (client.registeredCallback) {
    redirect(
      res,
      withParams(client.registeredCallback, {
        error: "redirect_uri_mismatch",
        error_description: "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri: `${TROUBLESHOOTING}#redirect-uri-mismatch`,
        state: get("state"),
      }),
    );
  } else {
    html(
      res,
      400,
      messagePage("Bad request", "The redirect_uri is missing or not a loopback URL this application may use."),
    );
  }
  return null;
}

function pkceValid(get: Lookup): boolean {
  const challenge = get("code_challenge");
  if (challenge === null) return true;
  return (get("code_challenge_method") ?? "S256") === "S256" && /^[A-Za-z0-9_-]{43}$/.test(challenge);
}

// GET /login/oauth/authorize – the consent page; response_type and unknown parameters are ignored
export function showAuthorize(state: StandInState, res: ServerResponse, url: URL): void {
  const get: Lookup = (name) => url.searchParams.get(name);
  const resolved = resolve(state, res, get);
  if (!resolved) return;
  if (!pkceValid(get)) return html(res, 400, messagePage("Bad request", "Only S256 code challenges are supported."));
  const request: ConsentRequest = {
    clientId: resolved.client.clientId,
    appName: resolved.client.app ? resolved.client.app.name : null,
    redirectUri: get("redirect_uri"),
    scope: get("scope") ?? "",
    state: get("state"),
    login: get("login"),
    codeChallenge: get("code_challenge"),
    codeChallengeMethod: get("code_challenge_method"),
  };
  html(res, 200, consentPage(state.world, request));
}

// POST /login/oauth/authorize – the consent form; the hidden fields are re-validated because they come back from the browser
export async function submitAuthorize(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = parseParams(await readBody(req), req.headers["content-type"]);
  const get: Lookup = (name) => form.get(name) ?? null;
  const resolved = resolve(state, res, get);
  if (!resolved) return;
  if (!pkceValid(get)) return html(res, 400, messagePage("Bad request", "Only S256 code challenges are supported."));
  if (get("decision") !== "authorize") {
    return redirect(
      res,
      withParams(resolved.target, {
        error: "access_denied",
        error_description: "The user has denied your application access.",
        error_uri: `${TROUBLESHOOTING}#access-denied`,
        state: get("state"),
      }),
    );
  }
  const user = state.world.user(get("login") ?? "");
  if (!user) return html(res, 422, messagePage("Choose a user", "Pick one of the listed users to sign in as."));
  const grant = state.codes.issue({
    clientId: resolved.client.clientId,
    userId: user.id,
    // A GitHub App's user token has its permissions, not scopes: GitHub ignores the scope parameter for Apps.
    scopes: resolved.client.app ? [] : normaliseScopes(get("scope") ?? ""),
    redirectUri: get("redirect_uri"),
    codeChallenge: get("code_challenge"),
  });
  redirect(res, withParams(resolved.target, { code: grant.code, state: get("state") }));
}
