import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { isJsonObject, parseJson, readBody } from "../http/body";
import { publicBase } from "../http/base-url";
import { sendJson } from "../http/respond";
import type { Headers } from "../http/respond";
import type { StandInState } from "../state";
import { applyFaults } from "../faults/gate";
import { authenticate, rateIdentity } from "./authenticate";
import { DEFAULT_CALLERS, refuseCaller } from "./callers";
import type { RestContext } from "./context";
import { DOCS } from "./context";
import { rateLimitHeaders } from "./rate-limit";
import { matchRoute } from "./routes";

const DEFAULT_VERSION = "2022-11-28";
const SUPPORTED_VERSIONS = new Set([DEFAULT_VERSION, "2026-03-10"]);
const EXPOSED =
  "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset";

/** Looks like GitHub's request ids: five colon-separated hex groups. */
function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex").toUpperCase();
  return [hex(2), hex(3), hex(3), hex(3), hex(4)].join(":");
}

function error(res: ServerResponse, status: number, message: string, headers: Headers): void {
  sendJson(res, status, { message, documentation_url: DOCS, status: String(status) }, headers);
}

/** Serves one REST request whose path has already had the /api/v3 prefix (if any) removed. */
export async function dispatchRest(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
): Promise<void> {
  const headers: Headers = {
    "x-github-request-id": requestId(),
    "x-github-media-type": "github.v3; format=json",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": EXPOSED,
    vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
    // The stand-in's clock, not the host's: @octokit/auth-app corrects a JWT's clock skew from this header.
    date: new Date(state.now()).toUTCString(),
  };
  if (state.down) return error(res, 503, "Service Unavailable", headers);

  const version = req.headers["x-github-api-version"];
  const apiVersion = typeof version === "string" ? version : DEFAULT_VERSION;
  if (!SUPPORTED_VERSIONS.has(apiVersion)) {
    return error(res, 400, `API version ${apiVersion.slice(0, 40)} is not supported.`, headers);
  }
  headers["x-github-api-version-selected"] = apiVersion;

  const auth = authenticate(req, state);
  const identity = rateIdentity(auth, req.socket.remoteAddress);
  const signedIn = auth.kind !== "anonymous" && auth.kind !== "bad";
  const rate = state.limiter.hit(identity.bucket, signedIn ? state.rateLimit : state.anonymousRateLimit);
  Object.assign(headers, rateLimitHeaders(rate));
  if (auth.kind === "bad") return error(res, auth.status, auth.message, headers);
  if (auth.kind === "token") {
    headers["x-oauth-scopes"] = auth.token.scopes.join(", ");
    headers["x-oauth-client-id"] = auth.token.clientId;
  }
  if (rate.exceeded) return error(res, 403, `API rate limit exceeded for ${identity.subject}.`, headers);

  const matched = matchRoute(req.method ?? "GET", path);
  if (!matched) return error(res, 404, "Not Found", headers);
  headers["x-accepted-oauth-scopes"] = matched.route.scopes.join(", ");
  const refusal = refuseCaller(matched.route.callers ?? DEFAULT_CALLERS, auth);
  if (refusal) return error(res, refusal.status, refusal.message, headers);

  let body: Record<string, unknown> = {};
  if (req.method === "POST" || req.method === "PATCH" || req.method === "PUT") {
    const text = await readBody(req);
    const parsed = text.trim() === "" ? {} : parseJson(text);
    if (parsed === undefined) return error(res, 400, "Problems parsing JSON", headers);
    if (!isJsonObject(parsed)) return error(res, 400, "Body should be a JSON object", headers);
    body = parsed;
  }

  const ctx: RestContext = {
    state,
    req,
    res,
    url,
    base: publicBase(req, state.publicUrl, state.listeningUrl),
    viewer: auth.kind === "token" ? auth.user : null,
    token: auth.kind === "token" ? auth.token : null,
    caller: auth,
    apiVersion,
    headers,
    params: matched.params,
    body,
  };
  if (applyFaults(ctx, matched.route.method, matched.route.path)) return;
  await matched.route.handle(ctx);
}
