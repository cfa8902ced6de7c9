import "server-only";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// GitHub access tokens are stored AES-256-GCM encrypted: a copy of the database alone (a backup,
// a read replica, a SQL injection elsewhere) does not hand out tokens.
//
// Format v2: `v2.<key id>.<iv>.<tag>.<data>` (base64url parts).
// - The key id names the key that sealed it, so keys can be rotated: TOKEN_ENCRYPTION_KEY seals, it
//   and every key in TOKEN_ENCRYPTION_PREVIOUS_KEYS open. The id is derived from the key (an HMAC of a
//   fixed label), so the configuration is a plain list of keys and an id can never name the wrong key.
// - The associated data binds a ciphertext to its row and column (the account's provider and
//   providerAccountId, which identify it for next-auth): a token copied into another account's row, or
//   from access_token into refresh_token, does not open.
// - The tag is 16 bytes, enforced on opening: GCM accepts shorter tags unless told, and a short tag
//   is easier to forge.
// Format v1 (`v1.<iv>.<tag>.<data>`, no key id, no associated data) is still opened, with every
// configured key, so tokens stored before v2 keep working until `scripts/db/reencrypt-tokens.ts` runs.

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TokenKey {
  id: string;
  key: Buffer;
}

/** The key that seals, and the keys that open (the sealing key first). */
export interface TokenKeyring {
  current: TokenKey;
  all: readonly TokenKey[];
}

/** Where a token is stored: the associated data every ciphertext is bound to. */
export interface TokenSlot {
  column: "access_token" | "refresh_token";
  provider: string;
  providerAccountId: string;
}

function keyFrom(base64: string): TokenKey {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("TOKEN_ENCRYPTION_KEY must be 32 bytes in base64");
  const id = createHmac("sha256", key).update("stageboard token key id").digest().subarray(0, 6).toString("base64url");
  return { id, key };
}

/** A keyring from base64 keys: `current` seals, it and `previous` open. */
export function createKeyring(current: string, previous: readonly string[] = []): TokenKeyring {
  const sealing = keyFrom(current);
  const all = [sealing, ...previous.map(keyFrom)].filter(
    (key, index, keys) => keys.findIndex((other) => other.id === key.id) === index,
  );
  return { current: sealing, all };
}

/** JSON of a fixed-order tuple: unambiguous whatever the provider or account id contains. */
const associatedData = (version: string, keyId: string, slot: TokenSlot) =>
  Buffer.from(JSON.stringify([version, keyId, "Account", slot.column, slot.provider, slot.providerAccountId]));

export function encryptToken(plain: string, keyring: TokenKeyring, slot: TokenSlot): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData("v2", id, slot));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    "v2",
    id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    data.toString("base64url"),
  ].join(".");
}

function open(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer, aad: Buffer | null): string | null {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const bytes = (part: string) => Buffer.from(part, "base64url");

/** The plain token, or null when no configured key sealed it for this slot, or it was altered. */
export function decryptToken(stored: string, keyring: TokenKeyring, slot: TokenSlot): string | null {
  const parts = stored.split(".");
  if (!parts.slice(1).every((part) => BASE64URL.test(part))) return null;
  if (parts[0] === "v2" && parts.length === 5) {
    const [, keyId = "", iv = "", tag = "", data = ""] = parts;
    const key = keyring.all.find((candidate) => candidate.id === keyId);
    return key ? open(key.key, bytes(iv), bytes(tag), bytes(data), associatedData("v2", keyId, slot)) : null;
  }
  if (parts[0] === "v1" && parts.length === 4) {
    const [, iv = "", tag = "", data = ""] = parts;
    for (const { key } of keyring.all) {
      const plain = open(key, bytes(iv), bytes(tag), bytes(data), null);
      if (plain !== null) return plain;
    }
  }
  return null;
}

/** Whether a stored value is already in the newest format under the sealing key (nothing to re-encrypt). */
export function isSealedWithCurrentKey(stored: string, keyring: TokenKeyring): boolean {
  const parts = stored.split(".");
  return parts[0] === "v2" && parts.length === 5 && parts[1] === keyring.current.id;
}

let configured: { source: string; keyring: TokenKeyring } | undefined;

/** The keyring of TOKEN_ENCRYPTION_KEY and TOKEN_ENCRYPTION_PREVIOUS_KEYS; null when no key is set. */
export function configuredKeyring(): TokenKeyring | null {
  if (!env.TOKEN_ENCRYPTION_KEY) return null;
  const source = [env.TOKEN_ENCRYPTION_KEY, ...env.TOKEN_ENCRYPTION_PREVIOUS_KEYS].join(",");
  if (configured?.source !== source)
    configured = { source, keyring: createKeyring(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_PREVIOUS_KEYS) };
  return configured.keyring;
}

/** Seals a token for its account row with the configured sealing key. */
export function sealAccountToken(plain: string, slot: TokenSlot): string {
  const keyring = configuredKeyring();
  if (!keyring) throw new Error("TOKEN_ENCRYPTION_KEY is not set");
  return encryptToken(plain, keyring, slot);
}

/** Opens a token stored in an account row; null when it cannot be (no key, another row's, altered). */
export function openAccountToken(stored: string, slot: TokenSlot): string | null {
  const keyring = configuredKeyring();
  return keyring ? decryptToken(stored, keyring, slot) : null;
}
