import "server-only";
import { createHash, randomBytes } from "node:crypto";

// The cookie carries the session token; the database only ever sees its SHA-256. Session tokens are
// 256 random bits, so a plain (unsalted, fast) hash is enough: there is nothing to guess, and a copy of
// the Session table (a backup, a replica, a SQL injection elsewhere) holds nothing that works as a cookie.
// The same hash in SQL, for scripts and tests that insert sessions: encode(sha256(convert_to(token, 'UTF8')), 'hex').

export const hashSessionToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** A new session token for the cookie (next-auth's default is a UUID, 122 random bits). */
export const generateSessionToken = (): string => randomBytes(32).toString("base64url");
