// Temporary credentials as STS hands them out. The session token carries the session (role, session name, expiry)
// under an HMAC of the sandbox's secret, so the sandbox keeps no table of sessions and credentials issued before a
// restart stay valid after it, as AWS's do.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface Session {
  roleArn: string;
  sessionName: string;
  /** Wall-clock expiry (ms since the epoch). */
  expiresMs: number;
  /** Sessions assumed by a session (role chaining) are limited to one hour. */
  chained: boolean;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export type TokenCheck = { kind: "valid"; session: Session } | { kind: "invalid" } | { kind: "expired" };

function mac(secret: string, text: string): Buffer {
  return createHmac("sha256", `${secret}|sts`).update(text).digest();
}

/** Access key ids of temporary credentials start with ASIA; long-term ones with AKIA. */
export function isTemporaryKey(accessKeyId: string): boolean {
  return accessKeyId.startsWith("ASIA");
}

export function issueCredentials(secret: string, session: Session): IssuedCredentials {
  const accessKeyId = `ASIA${randomBytes(10).toString("hex").toUpperCase().slice(0, 16)}`;
  const payload = Buffer.from(
    JSON.stringify({
      k: accessKeyId,
      r: session.roleArn,
      s: session.sessionName,
      e: session.expiresMs,
      c: session.chained,
    }),
  ).toString("base64url");
  return {
    accessKeyId,
    secretAccessKey: mac(secret, `secret|${accessKeyId}`).toString("base64").slice(0, 40),
    sessionToken: `${payload}.${mac(secret, payload).toString("base64url")}`,
  };
}

/** The session a request's access key and security token belong to, checked against `now` (wall clock). */
export function checkToken(secret: string, accessKeyId: string, token: string | undefined, now: number): TokenCheck {
  const [payload, signature, extra] = (token ?? "").split(".");
  if (!payload || !signature || extra !== undefined) return { kind: "invalid" };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: "invalid" };
  let fields: { k?: unknown; r?: unknown; s?: unknown; e?: unknown; c?: unknown };
  try {
    fields = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof fields;
  } catch {
    return { kind: "invalid" };
  }
  if (fields.k !== accessKeyId || typeof fields.r !== "string" || typeof fields.s !== "string")
    return { kind: "invalid" };
  if (typeof fields.e !== "number") return { kind: "invalid" };
  if (now >= fields.e) return { kind: "expired" };
  return {
    kind: "valid",
    session: { roleArn: fields.r, sessionName: fields.s, expiresMs: fields.e, chained: fields.c === true },
  };
}
