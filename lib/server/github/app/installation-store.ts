import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { CachedRepository } from "./installation-cache";
import type { Installation } from "./installation-shape";
import { permissionsFromText, permissionsToText } from "./permissions";

// The installations cache in PostgreSQL (GitHubAppInstallation, GitHubAppRepository): the only reader and writer.
// Shared by every instance, so one instance's answer from GitHub serves all of them. Repository names are stored
// lower-cased, as GitHub compares them.

type Store = Pick<Db, "gitHubAppInstallation" | "gitHubAppRepository" | "$transaction">;

const repositoryKey = (fullName: string) => fullName.toLowerCase();

export async function readCachedRepository(
  db: Store,
  appId: number,
  fullName: string,
): Promise<CachedRepository | null> {
  const row = await db.gitHubAppRepository.findUnique({
    where: { appId_fullName: { appId: BigInt(appId), fullName: repositoryKey(fullName) } },
    select: { installationId: true, checkedAt: true, installation: { select: { fetchedAt: true } } },
  });
  if (!row) return null;
  return {
    installationId: row.installationId === null ? null : Number(row.installationId),
    checkedAt: row.checkedAt,
    installationFetchedAt: row.installation?.fetchedAt ?? null,
  };
}

function installationColumns(appId: number, installation: Installation, now: Date) {
  return {
    appId: BigInt(appId),
    accountLogin: installation.account.login,
    accountId: BigInt(installation.account.id),
    accountType: installation.account.type,
    repositorySelection: installation.repositorySelection,
    permissions: permissionsToText(installation.permissions),
    events: installation.events,
    suspendedAt: installation.suspendedAt,
    fetchedAt: now,
  };
}

/** GitHub named `installation` as the one reaching `fullName`: both rows, in one transaction. */
export async function saveRepositoryInstallation(
  db: Store,
  input: { appId: number; fullName: string; installation: Installation; now: Date },
): Promise<void> {
  const columns = installationColumns(input.appId, input.installation, input.now);
  const key = { appId: BigInt(input.appId), fullName: repositoryKey(input.fullName) };
  const installationId = BigInt(input.installation.id);
  await db.$transaction([
    db.gitHubAppInstallation.upsert({
      where: { id: installationId },
      create: { id: installationId, ...columns },
      update: columns,
    }),
    db.gitHubAppRepository.upsert({
      where: { appId_fullName: key },
      create: { ...key, installationId, checkedAt: input.now },
      update: { installationId, checkedAt: input.now },
    }),
  ]);
}

/** GitHub said the App is not installed on `fullName`. */
export async function saveNotInstalled(db: Store, input: { appId: number; fullName: string; now: Date }) {
  const key = { appId: BigInt(input.appId), fullName: repositoryKey(input.fullName) };
  await db.gitHubAppRepository.upsert({
    where: { appId_fullName: key },
    create: { ...key, installationId: null, checkedAt: input.now },
    update: { installationId: null, checkedAt: input.now },
  });
}

/** The whole list GitHub gives (GET /app/installations): refreshed, and the ones it no longer lists forgotten. */
export async function replaceInstallations(
  db: Store,
  input: { appId: number; installations: readonly Installation[]; now: Date },
): Promise<void> {
  const ids = input.installations.map((installation) => BigInt(installation.id));
  await db.$transaction([
    db.gitHubAppInstallation.deleteMany({ where: { appId: BigInt(input.appId), id: { notIn: ids } } }),
    ...input.installations.map((installation) => {
      const columns = installationColumns(input.appId, installation, input.now);
      return db.gitHubAppInstallation.upsert({
        where: { id: BigInt(installation.id) },
        create: { id: BigInt(installation.id), ...columns },
        update: columns,
      });
    }),
  ]);
}

/** The App is no longer installed there: the installation and every repository it reached (the foreign key). */
export async function forgetInstallation(db: Store, installationId: number): Promise<void> {
  await db.gitHubAppInstallation.deleteMany({ where: { id: BigInt(installationId) } });
}

/** Its token was refused: every repository it reaches is asked about again before next use. */
export async function markInstallationStale(db: Store, installationId: number): Promise<void> {
  await db.gitHubAppInstallation.updateMany({
    where: { id: BigInt(installationId) },
    data: { fetchedAt: new Date(0) },
  });
}

export async function forgetRepository(db: Store, input: { appId: number; fullName: string }): Promise<void> {
  await db.gitHubAppRepository.deleteMany({
    where: { appId: BigInt(input.appId), fullName: repositoryKey(input.fullName) },
  });
}

export interface CachedInstallation {
  id: number;
  accountLogin: string;
  repositorySelection: string;
  permissions: ReturnType<typeof permissionsFromText>;
  events: string[];
  suspendedAt: Date | null;
}

export async function readInstallation(db: Store, installationId: number): Promise<CachedInstallation | null> {
  const row = await db.gitHubAppInstallation.findUnique({ where: { id: BigInt(installationId) } });
  if (!row) return null;
  return {
    id: Number(row.id),
    accountLogin: row.accountLogin,
    repositorySelection: row.repositorySelection,
    permissions: permissionsFromText(row.permissions),
    events: row.events,
    suspendedAt: row.suspendedAt,
  };
}
