import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// The manifest flow's `state`: GitHub echoes it to the callback, which exchanges the code only when it names the
// session that started the flow. Without it, anyone could register an App of their own and send an administrator's
// browser to the callback with its code, and Stageboard would start reporting to that stranger's App.
//
// `<issued at, s>.<nonce>.<mac>`: the MAC (HMAC-SHA256 under a key derived from TOKEN_ENCRYPTION_KEY) covers the
// session token's hash, the user and the time, so nothing is stored; a state older than GitHub's one hour for the
// whole flow, or from another session, is refused. The code GitHub hands out is single-use, so a state need not be.

export const STATE_MAX_AGE_S = 3600;
const LABEL = "stageboard github-app manifest state v1";

export interface StateBinding {
  /** SHA-256 of the session cookie, as the Session table holds it. */
  sessionTokenHash: string;
  userId: string;
}

/** The state key for a token key (each key of the keyring opens what it sealed, so rotation keeps a flow going). */
export const stateKey = (tokenKey: Buffer): Buffer => createHmac("sha256", tokenKey).update(LABEL).digest();

function mac(key: Buffer, binding: StateBinding, issuedAt: number, nonce: string): Buffer {
  return createHmac("sha256", key)
    .update(JSON.stringify([LABEL, binding.sessionTokenHash, binding.userId, issuedAt, nonce]))
    .digest();
}

export function createManifestState(key: Buffer, binding: StateBinding, nowMs: number): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const nonce = randomBytes(12).toString("base64url");
  return `${issuedAt}.${nonce}.${mac(key, binding, issuedAt, nonce).toString("base64url")}`;
}

export type StateCheck = { kind: "valid" } | { kind: "invalid"; reason: "malformed" | "expired" | "not-this-session" };

export function checkManifestState(
  state: string,
  input: { keys: readonly Buffer[]; binding: StateBinding; nowMs: number },
): StateCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match) return { kind: "invalid", reason: "malformed" };
  const [, issued = "", nonce = "", given = ""] = match;
  const issuedAt = Number(issued);
  const age = Math.floor(input.nowMs / 1000) - issuedAt;
  // A minute of clock difference between instances is allowed for a state made "in the future".
  if (age > STATE_MAX_AGE_S || age < -60) return { kind: "invalid", reason: "expired" };
  const givenMac = Buffer.from(given, "base64url");
  const matches = input.keys.some((key) => {
    const expected = mac(key, input.binding, issuedAt, nonce);
    return expected.length === givenMac.length && timingSafeEqual(expected, givenMac);
  });
  return matches ? { kind: "valid" } : { kind: "invalid", reason: "not-this-session" };
}
