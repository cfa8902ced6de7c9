import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { parseParams, readBody } from "../http/body";
import { escapeHtml, sendJson, sendText } from "../http/respond";
import type { StandInState } from "../state";
import type { RefreshTokenRecord, TokenRecord } from "../world/tokens";
import { REFRESH_TOKEN_LIFETIME_S, USER_TOKEN_LIFETIME_S } from "../world/tokens";
import { findClient } from "./clients";

const DOCS = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/";

const ERRORS = {
  bad_verification_code: ["The code passed is incorrect or expired.", `${DOCS}#bad-verification-code`],
  incorrect_client_credentials: [
    "The client_id and/or client_secret passed are incorrect.",
    `${DOCS}#incorrect-client-credentials`,
  ],
  redirect_uri_mismatch: [
    "The redirect_uri MUST match the registered callback URL for this application.",
    `${DOCS}#redirect-uri-mismatch2`,
  ],
  unsupported_grant_type: ["The grant type is not supported.", `${DOCS}#unsupported-grant-type`],
  bad_refresh_token: [
    "The refresh token passed is incorrect or expired.",
    "https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens",
  ],
} as const;

type ErrorName = keyof typeof ERRORS;

/**
 * GitHub picks the format from Accept: JSON (numbers stay numbers), XML, or form-encoded by default. The Date header
 * is the stand-in's clock, from which Octokit computes when a user token expires.
 */
function respond(
  req: IncomingMessage,
  res: ServerResponse,
  fields: Record<string, string | number>,
  now: number,
): void {
  const accept = (req.headers.accept ?? "").toLowerCase();
  const headers = { "cache-control": "no-store", date: new Date(now).toUTCString() };
  if (accept.includes("application/json")) return sendJson(res, 200, fields, headers);
  if (accept.includes("application/xml")) {
    const inner = Object.entries(fields)
      .map(([k, v]) => `<${k}>${escapeHtml(String(v))}</${k}>`)
      .join("");
    return sendText(res, 200, "application/xml; charset=utf-8", `<OAuth>${inner}</OAuth>`, headers);
  }
  sendText(
    res,
    200,
    "application/x-www-form-urlencoded; charset=utf-8",
    new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
    headers,
  );
}

// Errors come back with HTTP 200, which openid-client and @octokit/oauth-methods both rely on.
function respondError(req: IncomingMessage, res: ServerResponse, name: ErrorName, now: number): void {
  const [description, uri] = ERRORS[name];
  respond(req, res, { error: name, error_description: description, error_uri: uri }, now);
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** openid-client sends client_secret_basic: Basic base64(urlencode(id) ":" urlencode(secret)). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function pkceMatches(challenge: string | null, verifier: string | undefined): boolean {
  if (challenge === null) return true;
  if (!verifier) return false;
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}

/** An App user token's answer: with expiry on, it carries the refresh token and both lifetimes. */
function appUserFields(issued: {
  access: TokenRecord;
  refresh: RefreshTokenRecord | null;
}): Record<string, string | number> {
  if (!issued.refresh) return { access_token: issued.access.token, scope: "", token_type: "bearer" };
  return {
    access_token: issued.access.token,
    expires_in: USER_TOKEN_LIFETIME_S,
    refresh_token: issued.refresh.token,
    refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_S,
    scope: "",
    token_type: "bearer",
  };
}

// POST /login/oauth/access_token – parameters from query, form or JSON; client credentials also via HTTP Basic.
// An OAuth App redeems codes; a GitHub App also refreshes (grant_type=refresh_token), which rotates both tokens.
export async function exchangeCode(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const params = new Map(url.searchParams);
  for (const [name, value] of parseParams(await readBody(req), req.headers["content-type"])) params.set(name, value);
  const basic = basicCredentials(req.headers.authorization);
  const clientId = basic?.id ?? params.get("client_id") ?? "";
  const secret = basic?.secret ?? params.get("client_secret") ?? "";
  const client = findClient(state, clientId);
  const now = state.now();
  const fail = (name: ErrorName) => respondError(req, res, name, now);
  if (!client || !sameSecret(client.clientSecret, secret)) return fail("incorrect_client_credentials");
  const grantType = params.get("grant_type");
  if (grantType === "refresh_token" && client.app) {
    const rotated = state.tokens.refresh(params.get("refresh_token") ?? "", client.clientId, now);
    if (!rotated) return fail("bad_refresh_token");
    return respond(req, res, appUserFields(rotated), now);
  }
  if (grantType !== undefined && grantType !== "authorization_code") return fail("unsupported_grant_type");
  const grant = state.codes.redeem(params.get("code") ?? "", client.clientId);
  if (!grant || !pkceMatches(grant.codeChallenge, params.get("code_verifier"))) return fail("bad_verification_code");
  const redirectUri = params.get("redirect_uri");
  if (redirectUri !== undefined && grant.redirectUri !== null && redirectUri !== grant.redirectUri) {
    return fail("redirect_uri_mismatch");
  }
  if (client.app) {
    const issued = state.tokens.issueAppUser({
      userId: grant.userId,
      appId: client.app.id,
      clientId: client.clientId,
      expiring: client.app.expiringUserTokens,
      now,
    });
    return respond(req, res, appUserFields(issued), now);
  }
  const token = state.tokens.issue(grant.userId, client.clientId, grant.scopes);
  respond(req, res, { access_token: token.token, scope: token.scopes.join(","), token_type: "bearer" }, now);
}
