import { createSign } from "node:crypto";

/** Signs a JWT with node:crypto (RS256), so tests can send exactly the claims they mean to. */
export function signJwt(
  privateKeyPem: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "RS256", typ: "JWT" },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign("RSA-SHA256").update(input).sign(privateKeyPem).toString("base64url");
  return `${input}.${signature}`;
}

/** An App JWT as @octokit/auth-app makes one: issued 30 s ago, expiring 10 minutes after that. */
export function appJwt(privateKeyPem: string, iss: number | string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000) - 30;
  return signJwt(privateKeyPem, { iat, exp: iat + 600, iss });
}
