import { checkResponse } from "./github-description";

export const STAGEBOARD_SCOPES = "read:user user:email repo read:org";
export const CLIENT_ID = "stageboard-dev";
export const CLIENT_SECRET = "stageboard-dev-secret";
export const CALLBACK = "http://localhost:3000/api/auth/callback/github";

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ApiOptions {
  token?: string;
  scheme?: "Bearer" | "bearer" | "token";
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`, to test malformed input. */
  rawBody?: string;
  /** "/api/v3" (default, as GitHub Enterprise Server) or "" for api.github.com-style root paths. */
  prefix?: string;
  headers?: Record<string, string>;
  /** "manual" to see a redirect (301) itself instead of where it leads. */
  redirect?: RequestRedirect;
}

/**
 * Calls the stand-in's REST API and fails unless the response matches GitHub's OpenAPI description
 * for that operation and status, so no test can pass on a response GitHub would never send.
 */
export async function api(
  base: string,
  method: "GET" | "POST" | "PATCH" | "PUT",
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "user-agent": "stand-in-tests",
    ...options.headers,
  };
  if (options.token) headers.authorization = `${options.scheme ?? "Bearer"} ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${options.prefix ?? "/api/v3"}${path}`, {
    method,
    headers,
    redirect: options.redirect ?? "follow",
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  const body: unknown = text === "" ? null : JSON.parse(text);
  const checked = checkResponse(
    method,
    path.split("?")[0] ?? path,
    response.status,
    response.headers.get("content-type"),
    body,
  );
  if (checked.errors.length > 0) {
    throw new Error(
      `${method} ${path} → ${response.status} does not match GitHub's description (${checked.operation}):\n${checked.errors.slice(0, 15).join("\n")}`,
    );
  }
  return { status: response.status, headers: response.headers, body };
}

/** Walks the consent page as a person would and returns the code and state from the redirect. */
export async function authorize(
  base: string,
  login: string,
  scope = STAGEBOARD_SCOPES,
  state = "state-123",
): Promise<URL> {
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    scope,
    state,
    response_type: "code",
  });
  const page = await fetch(`${base}/login/oauth/authorize?${query.toString()}`);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
  const form = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    scope,
    state,
    login,
    decision: "authorize",
  });
  const consent = await fetch(`${base}/login/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
  const location = consent.headers.get("location");
  if (consent.status !== 302 || !location) throw new Error(`consent answered ${consent.status}`);
  return new URL(location);
}

/** next-auth's way of redeeming a code: HTTP Basic client credentials, form body, Accept JSON. */
export async function exchange(
  base: string,
  code: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString("base64");
  const response = await fetch(`${base}/login/oauth/access_token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${basic}`,
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, ...extra }),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

export async function signIn(base: string, login: string, scope = STAGEBOARD_SCOPES): Promise<string> {
  const redirect = await authorize(base, login, scope);
  const tokens = await exchange(base, redirect.searchParams.get("code") ?? "");
  if (!tokens.access_token) throw new Error(`no token: ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}

export async function control(base: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(
    `${base}/_stand-in${path}`,
    body === undefined
      ? {}
      : {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        },
  );
  return { status: response.status, body: await response.json() };
}
