import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { TokenKeyring } from "@/lib/server/auth/token-crypto";

// Secrets Stageboard must read back (webhook URLs and secrets, the GitHub App's credentials, badge keys) are
// stored AES-256-GCM encrypted under the keys that seal GitHub tokens (TOKEN_ENCRYPTION_KEY, rotated with
// TOKEN_ENCRYPTION_PREVIOUS_KEYS), as `v2.<key id>.<iv>.<tag>.<data>`, and bound by their associated data to
// where they are stored (table, column, row): a ciphertext copied into another row or column does not open.

/** Where a sealed value lives, e.g. `["NotifyWebhook", "url", webhookId]`. */
export type SealBinding = readonly (string | number)[];

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

const associatedData = (keyId: string, binding: SealBinding) => Buffer.from(JSON.stringify(["v2", keyId, ...binding]));

export function sealBound(keyring: TokenKeyring, plain: string, binding: SealBinding): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, binding));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", id, ...[iv, cipher.getAuthTag(), data].map((part) => part.toString("base64url"))].join(".");
}

/** The plain value, or null when no key of the keyring sealed it for this binding, or it was altered. */
export function openBound(keyring: TokenKeyring, stored: string, binding: SealBinding): string | null {
  const [version, keyId = "", iv = "", tag = "", data = "", ...rest] = stored.split(".");
  if (version !== "v2" || rest.length > 0 || ![iv, tag, data].every((part) => PART.test(part))) return null;
  const key = keyring.all.find((candidate) => candidate.id === keyId);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (!key || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, binding));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
