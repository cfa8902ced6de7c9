import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { configuredKeyring, type TokenKeyring } from "@/lib/server/auth/token-crypto";
import { openBound, sealBound } from "@/lib/server/secrets/bound-seal";

// A private repository's badge key: 256 random bits, which the README's badge URL carries and which opens that
// repository's badges and nothing else. The badge routes compare only its SHA-256 (a key that long needs no slow
// hash), in constant time and on every request, with or without a stored key, so a wrong key costs what a right
// one does. The key is also stored sealed (lib/server/secrets/bound-seal.ts), bound to its repository id, so
// the repository's admins can read it again on the settings page: a copy of the database alone shows no key.

const KEY_BYTES = 32;
const PREFIX = "sbk_";

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

const binding = (repositoryGithubId: bigint) => ["BadgeKey", String(repositoryGithubId)];

export const sealBadgeKeyWith = (keyring: TokenKeyring, key: string, repositoryGithubId: bigint): string =>
  sealBound(keyring, key, binding(repositoryGithubId));

export const openBadgeKeyWith = (keyring: TokenKeyring, sealed: string, repositoryGithubId: bigint): string | null =>
  openBound(keyring, sealed, binding(repositoryGithubId));

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
