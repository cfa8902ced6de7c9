import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { configuredKeyring, type TokenKeyring } from "@/lib/server/auth/token-crypto";

// A private repository's badge key: 256 random bits, which the README's badge URL carries and which opens that
// repository's badges and nothing else. The badge routes compare only its SHA-256 (a key that long needs no slow
// hash), in constant time and on every request, with or without a stored key, so a wrong key costs what a right
// one does. The key is also stored sealed, AES-256-GCM under the keys that seal GitHub tokens
// (TOKEN_ENCRYPTION_KEY, opened by it and TOKEN_ENCRYPTION_PREVIOUS_KEYS) and bound to its repository id, so the
// repository's admins can read it again on the settings page: a copy of the database alone shows no key.

const KEY_BYTES = 32;
const PREFIX = "sbk_";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const newBadgeKey = (): string => `${PREFIX}${randomBytes(KEY_BYTES).toString("base64url")}`;

export const hashBadgeKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

// Compared against when a repository has no key: the same work as a real comparison, and never equal to a hash.
const NO_KEY = randomBytes(32);

/** Whether `given` is the key whose hash is `storedHash` (null: the repository has none, which nothing matches). */
export function badgeKeyMatches(given: string, storedHash: string | null): boolean {
  const digest = createHash("sha256").update(given, "utf8").digest();
  const stored = storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, "hex") : null;
  const equal = timingSafeEqual(digest, stored ?? NO_KEY);
  return stored !== null && given.length > 0 && equal;
}

const associatedData = (keyId: string, repositoryGithubId: bigint) =>
  Buffer.from(JSON.stringify(["v2", keyId, "BadgeKey", String(repositoryGithubId)]));

export function sealBadgeKeyWith(keyring: TokenKeyring, key: string, repositoryGithubId: bigint): string {
  const { id, key: secret } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, repositoryGithubId));
  const data = Buffer.concat([cipher.update(key, "utf8"), cipher.final()]);
  return ["v2", id, ...[iv, cipher.getAuthTag(), data].map((part) => part.toString("base64url"))].join(".");
}

export function openBadgeKeyWith(keyring: TokenKeyring, sealed: string, repositoryGithubId: bigint): string | null {
  const [version, keyId = "", iv = "", tag = "", data = "", ...rest] = sealed.split(".");
  if (version !== "v2" || rest.length || ![iv, tag, data].every((p) => /^[A-Za-z0-9_-]*$/.test(p))) return null;
  const key = keyring.all.find((candidate) => candidate.id === keyId);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (!key || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, repositoryGithubId));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Seals with the configured sealing key; throws when none is configured (a real instance always has one). */
export function sealBadgeKey(key: string, repositoryGithubId: bigint): string {
  const keyring = configuredKeyring();
  if (!keyring) throw new Error("TOKEN_ENCRYPTION_KEY is not set: badge keys cannot be stored");
  return sealBadgeKeyWith(keyring, key, repositoryGithubId);
}

/** The key, or null when no configured key sealed it for this repository (rotated away, or altered). */
export function openBadgeKey(sealed: string, repositoryGithubId: bigint): string | null {
  const keyring = configuredKeyring();
  return keyring ? openBadgeKeyWith(keyring, sealed, repositoryGithubId) : null;
}
