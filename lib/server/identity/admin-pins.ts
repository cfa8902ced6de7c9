import "server-only";
import type { Db } from "@/lib/server/db/client";

// STAGEBOARD_ADMINS login entries, pinned to the GitHub account id each first resolved to. Logins change
// hands (an account is renamed or deleted, and someone else registers the login), ids never do: once pinned,
// a login entry names that account, whatever it is called later, and never the newcomer. Postgres only.

/** The pinned account id of each of `logins` (lower-cased) that has one. */
export async function loadAdminPins(db: Db, logins: readonly string[]): Promise<Map<string, bigint>> {
  if (logins.length === 0) return new Map();
  const rows = await db.adminLoginPin.findMany({ where: { login: { in: [...logins] } } });
  return new Map(rows.map((row) => [row.login, row.githubId]));
}

/**
 * Pins `login` to `githubId` unless it is pinned already, and returns the pin that holds: two first
 * resolutions racing each other agree on the first one written.
 */
export async function pinAdminLogin(db: Db, login: string, githubId: bigint): Promise<bigint> {
  await db.adminLoginPin.createMany({ data: [{ login, githubId }], skipDuplicates: true });
  const pin = await db.adminLoginPin.findUniqueOrThrow({ where: { login } });
  return pin.githubId;
}
