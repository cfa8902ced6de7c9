import { verify } from "node:crypto";
import type { AppRecord, AppStore } from "../world/apps";

export type JwtCheck = { kind: "app"; app: AppRecord } | { kind: "bad"; status: 401 | 404; message: string };

// GitHub's own messages; @octokit/auth-app recognises the three claim messages and retries once with the server's
// clock (read from the Date header), so they must be exactly these.
export const UNDECODABLE = "A JSON web token could not be decoded";
export const EXPIRED =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
export const TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
export const BAD_IAT =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

const MAX_LIFETIME_S = 10 * 60;
const ALLOWED_DRIFT_S = 60;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Is this bearer credential shaped like a JWT (three base64url segments), so it must be checked as one? */
export function looksLikeJwt(credential: string): boolean {
  const parts = credential.split(".");
  return parts.length === 3 && parts.every((part) => SEGMENT.test(part));
}

function decodeObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const bad = (message: string, status: 401 | 404 = 401): JwtCheck => ({ kind: "bad", status, message });

/**
 * Verifies an App JWT as GitHub does: RS256 signed with the App's key, `iss` the App id or client id, `iat` no more
 * than a minute ahead of the stand-in's clock, `exp` still to come and at most ten minutes after `iat`.
 */
export function verifyAppJwt(jwt: string, apps: AppStore, nowMs: number): JwtCheck {
  if (!looksLikeJwt(jwt)) return bad(UNDECODABLE);
  const [headerPart = "", payloadPart = "", signaturePart = ""] = jwt.split(".");
  const header = decodeObject(headerPart);
  const payload = decodeObject(payloadPart);
  if (!header || !payload || header.alg !== "RS256") return bad(UNDECODABLE);
  const app = apps.byIssuer(payload.iss);
  if (!app) return bad("Integration not found", 404);
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  // A valid token from another App's key is indistinguishable, to GitHub, from garbage.
  if (!verify("RSA-SHA256", signed, app.publicKey, Buffer.from(signaturePart, "base64url"))) return bad(UNDECODABLE);
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + ALLOWED_DRIFT_S) return bad(BAD_IAT);
  if (typeof exp !== "number" || !Number.isFinite(exp) || exp <= now) return bad(EXPIRED);
  if (exp - iat > MAX_LIFETIME_S) return bad(TOO_FAR);
  return { kind: "app", app };
}
