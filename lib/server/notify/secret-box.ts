import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { configuredKeyring, type TokenKeyring } from "@/lib/server/auth/token-crypto";

// A webhook's URL (Slack's incoming-webhook URLs are bearer credentials) and its signing secret are stored
// AES-256-GCM encrypted under the same keys as GitHub tokens (TOKEN_ENCRYPTION_KEY, rotated with
// TOKEN_ENCRYPTION_PREVIOUS_KEYS), in the same `v2.<key id>.<iv>.<tag>.<data>` format, but bound to the webhook
// row and column: a ciphertext copied into another webhook, or from one column to the other, does not open.

export type WebhookSlot = { column: "url" | "secret"; webhookId: string };

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

const associatedData = (keyId: string, slot: WebhookSlot) =>
  Buffer.from(JSON.stringify(["v2", keyId, "NotifyWebhook", slot.column, slot.webhookId]));

export function sealWith(keyring: TokenKeyring, plain: string, slot: WebhookSlot): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, slot));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", id, iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function openWith(keyring: TokenKeyring, stored: string, slot: WebhookSlot): string | null {
  const [version, keyId = "", iv = "", tag = "", data = "", ...rest] = stored.split(".");
  if (version !== "v2" || rest.length || ![iv, tag, data].every((p) => /^[A-Za-z0-9_-]*$/.test(p))) return null;
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

function keyring(): TokenKeyring {
  const configured = configuredKeyring();
  if (!configured) throw new Error("TOKEN_ENCRYPTION_KEY is not set: webhook URLs and secrets cannot be stored");
  return configured;
}

/** Seals a webhook's URL or secret with the configured sealing key. */
export const sealWebhookValue = (plain: string, slot: WebhookSlot): string => sealWith(keyring(), plain, slot);

/** The plain value, or null when no configured key sealed it for this slot (or it was altered). */
export const openWebhookValue = (stored: string, slot: WebhookSlot): string | null => {
  const configured = configuredKeyring();
  return configured ? openWith(configured, stored, slot) : null;
};
