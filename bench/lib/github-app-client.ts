// The bench's own REST calls to the GitHub stand-in as the App's installations (a JWT signed with the App's key,
// traded for installation tokens), for setting up what GitHub already holds before a phase: the check runs and
// deployments a backlog of updates is about.
import { createSign } from "node:crypto";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** An App JWT as GitHub wants it: RS256, issued a little in the past, expiring within ten minutes. */
export function appJwt(appId: number, privateKey: string, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const body = b64url(JSON.stringify({ iss: appId, iat: now - 30, exp: now + 540 }));
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

export type InstallationRest = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** A REST caller per installation account (owner login), at `api` (…/api/v3). */
export async function installationRest(
  api: string,
  appId: number,
  privateKey: string,
): Promise<(owner: string) => InstallationRest> {
  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const jwt = appJwt(appId, privateKey);
  const installations = await call<{ id: number; account: { login: string } }[]>(jwt, "GET", "/app/installations");
  const tokens = new Map<string, string>();
  for (const installation of installations) {
    const { token } = await call<{ token: string }>(
      jwt,
      "POST",
      `/app/installations/${installation.id}/access_tokens`,
      {},
    );
    tokens.set(installation.account.login.toLowerCase(), token);
  }
  return (owner) => {
    const token = tokens.get(owner.toLowerCase());
    if (!token) throw new Error(`the App is not installed on ${owner}`);
    return (method, path, body) => call(token, method, path, body);
  };
}
