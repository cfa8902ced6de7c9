import "server-only";
import { configuredKeyring } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";
import { openCredential, sealCredential } from "./credential-box";
import type { CredentialsState } from "./credentials";

// The only reader and writer of GitHubAppRegistration: the App an administrator created on the setup page, its
// secrets sealed (credential-box.ts). There is at most one row (id 1), so a second registration conflicts.

type Writer = Pick<Db, "gitHubAppRegistration">;

const REGISTRATION_ID = 1;

/** What the setup page shows of a stored registration: nothing secret. */
export interface RegistrationSummary {
  appId: number;
  slug: string;
  name: string;
  ownerLogin: string;
  createdByLogin: string;
  createdAt: Date;
}

export async function storedRegistration(db: Writer): Promise<RegistrationSummary | null> {
  const row = await db.gitHubAppRegistration.findUnique({
    where: { id: REGISTRATION_ID },
    select: { appId: true, slug: true, name: true, ownerLogin: true, createdByLogin: true, createdAt: true },
  });
  return row ? { ...row, appId: Number(row.appId) } : null;
}

export async function storedCredentials(db: Writer): Promise<CredentialsState> {
  const row = await db.gitHubAppRegistration.findUnique({ where: { id: REGISTRATION_ID } });
  if (!row) return { kind: "not-configured" };
  const appId = Number(row.appId);
  const keyring = configuredKeyring();
  const open = (stored: string | null, column: "privateKey" | "webhookSecret" | "clientSecret") =>
    stored === null || !keyring ? null : openCredential(keyring, stored, { column, appId });
  const privateKey = open(row.privateKeySealed, "privateKey");
  if (!privateKey)
    return {
      kind: "unusable",
      source: "database",
      reason:
        "The stored App's private key does not open with TOKEN_ENCRYPTION_KEY or TOKEN_ENCRYPTION_PREVIOUS_KEYS (was the key replaced without keeping the old one?)",
    };
  return {
    kind: "configured",
    credentials: {
      source: "database",
      appId,
      privateKey,
      webhookSecret: open(row.webhookSecretSealed, "webhookSecret"),
      clientId: row.clientId,
      clientSecret: open(row.clientSecretSealed, "clientSecret"),
      slug: row.slug,
    },
  };
}

export interface NewRegistration {
  appId: number;
  slug: string;
  name: string;
  ownerLogin: string;
  clientId: string | null;
  privateKey: string;
  webhookSecret: string | null;
  clientSecret: string | null;
  createdBy: { githubId: bigint | null; login: string };
}

/** Stores a registration, sealed; a second one fails on the primary key (Prisma P2002), whoever wrote the first. */
export async function storeRegistration(db: Writer, input: NewRegistration): Promise<void> {
  const keyring = configuredKeyring();
  if (!keyring) throw new Error("TOKEN_ENCRYPTION_KEY is not set: the App's credentials cannot be stored");
  const seal = (plain: string | null, column: "privateKey" | "webhookSecret" | "clientSecret") =>
    plain === null ? null : sealCredential(keyring, plain, { column, appId: input.appId });
  await db.gitHubAppRegistration.create({
    data: {
      id: REGISTRATION_ID,
      appId: BigInt(input.appId),
      slug: input.slug,
      name: input.name,
      ownerLogin: input.ownerLogin,
      clientId: input.clientId,
      privateKeySealed: sealCredential(keyring, input.privateKey, { column: "privateKey", appId: input.appId }),
      webhookSecretSealed: seal(input.webhookSecret, "webhookSecret"),
      clientSecretSealed: seal(input.clientSecret, "clientSecret"),
      createdByGithubId: input.createdBy.githubId,
      createdByLogin: input.createdBy.login,
    },
  });
}
