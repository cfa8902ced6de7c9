import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { TokenKeyring } from "@/lib/server/auth/token-crypto";

// The App's private key, webhook secret and client secret are stored AES-256-GCM encrypted under the keys that seal
// GitHub tokens (TOKEN_ENCRYPTION_KEY, rotated with TOKEN_ENCRYPTION_PREVIOUS_KEYS), in the same
// `v2.<key id>.<iv>.<tag>.<data>` format, bound to the App id and the column: a ciphertext copied into another
// registration, or from one column to another, does not open. A copy of the database alone holds no usable key.

export type CredentialSlot = { column: "privateKey" | "webhookSecret" | "clientSecret"; appId: number };

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

const associatedData = (keyId: string, slot: CredentialSlot) =>
  Buffer.from(JSON.stringify(["v2", keyId, "GitHubAppRegistration", slot.column, slot.appId]));

export function sealCredential(keyring: TokenKeyring, plain: string, slot: CredentialSlot): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, slot));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", id, ...[iv, cipher.getAuthTag(), data].map((part) => part.toString("base64url"))].join(".");
}

/** The plain value, or null when no key of the keyring sealed it for this slot, or it was altered. */
export function openCredential(keyring: TokenKeyring, stored: string, slot: CredentialSlot): string | null {
  const [version, keyId = "", iv = "", tag = "", data = "", ...rest] = stored.split(".");
  if (version !== "v2" || rest.length > 0 || ![iv, tag, data].every((part) => PART.test(part))) return null;
  const key = keyring.all.find((candidate) => candidate.id === keyId);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (!key || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, slot));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
