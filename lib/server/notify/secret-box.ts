import "server-only";
import { configuredKeyring, type TokenKeyring } from "@/lib/server/auth/token-crypto";
import { openBound, sealBound } from "@/lib/server/secrets/bound-seal";

// A webhook's URL (Slack's incoming-webhook URLs are bearer credentials) and its signing secret are stored sealed
// (lib/server/secrets/bound-seal.ts), bound to the webhook row and column.

export type WebhookSlot = { column: "url" | "secret"; webhookId: string };

const binding = (slot: WebhookSlot) => ["NotifyWebhook", slot.column, slot.webhookId];

export const sealWith = (keyring: TokenKeyring, plain: string, slot: WebhookSlot): string =>
  sealBound(keyring, plain, binding(slot));

export const openWith = (keyring: TokenKeyring, stored: string, slot: WebhookSlot): string | null =>
  openBound(keyring, stored, binding(slot));

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
