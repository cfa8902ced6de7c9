import "server-only";
import type { TokenKeyring } from "@/lib/server/auth/token-crypto";
import { openBound, sealBound } from "@/lib/server/secrets/bound-seal";

// The App's private key, webhook secret and client secret are stored sealed (lib/server/secrets/bound-seal.ts),
// bound to the App id and the column. A copy of the database alone holds no usable key.

export type CredentialSlot = { column: "privateKey" | "webhookSecret" | "clientSecret"; appId: number };

const binding = (slot: CredentialSlot) => ["GitHubAppRegistration", slot.column, slot.appId];

export const sealCredential = (keyring: TokenKeyring, plain: string, slot: CredentialSlot): string =>
  sealBound(keyring, plain, binding(slot));

/** The plain value, or null when no key of the keyring sealed it for this slot, or it was altered. */
export const openCredential = (keyring: TokenKeyring, stored: string, slot: CredentialSlot): string | null =>
  openBound(keyring, stored, binding(slot));
