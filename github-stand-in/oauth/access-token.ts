import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { parseParams, readBody } from "../http/body";
import { escapeHtml, sendJson, sendText } from "../http/respond";
import type { StandInState } from "../state";

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
} as const;

type ErrorName = keyof typeof ERRORS;

/** GitHub picks the format from Accept: JSON, XML, or form-encoded by default. */
function respond(req: IncomingMessage, res: ServerResponse, fields: Record<string, string>): void {
  const accept = (req.headers.accept ?? "").toLowerCase();
  const headers = { "cache-control": "no-store" };
  if (accept.includes("application/json")) return sendJson(res, 200, fields, headers);
  if (accept.includes("application/xml")) {
    const inner = Object.entries(fields)
      .map(([k, v]) => `<${k}>${escapeHtml(v)}</${k}>`)
      .join("");
    return sendText(res, 200, "application/xml; charset=utf-8", `<OAuth>${inner}</OAuth>`, headers);
  }
  sendText(
    res,
    200,
    "application/x-www-form-urlencoded; charset=utf-8",
    new URLSearchParams(fields).toString(),
    headers,
  );
}

// Errors come back with HTTP 200, which openid-client and @octokit/oauth-methods both rely on.
function respondError(req: IncomingMessage, res: ServerResponse, name: ErrorName): void {
  const [description, uri] = ERRORS[name];
  respond(req, res, { error: name, error_description: description, error_uri: uri });
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

// POST /login/oauth/access_token – parameters from query, form or JSON; client credentials also via HTTP Basic
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
  const client = state.clients.find((c) => c.clientId === clientId);
  if (!client || !sameSecret(client.clientSecret, secret))
    return respondError(req, res, "incorrect_client_credentials");

  const grantType = params.get("grant_type");
  if (grantType !== undefined && grantType !== "authorization_code")
    return respondError(req, res, "unsupported_grant_type");
  const grant = state.codes.redeem(params.get("code") ?? "", client.clientId);
  if (!grant || !pkceMatches(grant.codeChallenge, params.get("code_verifier"))) {
    return respondError(req, res, "bad_verification_code");
  }
  const redirectUri = params.get("redirect_uri");
  if (redirectUri !== undefined && grant.redirectUri !== null && redirectUri !== grant.redirectUri) {
    return respondError(req, res, "redirect_uri_mismatch");
  }
  const token = state.tokens.issue(grant.userId, client.clientId, grant.scopes);
  respond(req, res, { access_token: token.token, scope: token.scopes.join(","), token_type: "bearer" });
}
