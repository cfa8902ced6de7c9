import "server-only";
import { SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S } from "@/lib/server/auth/session-policy";
import { viewerFrom, type Viewer, type ViewerSource } from "@/lib/server/auth/visibility";
import type { Db } from "@/lib/server/db/client";

type Row = Omit<ViewerSource, "repositories"> & {
  expires: Date;
  repositories: [fullName: string, permission: string][] | null;
};

/**
 * The viewer behind a session cookie, in one round trip: session, user and cached repositories
 * (next-auth's getServerSession followed by loadViewer took three to four). It keeps next-auth's
 * database-session rules (core/routes/session.js): an unknown token (forged, tampered with, or
 * ended by a sign-out anywhere) finds no row; an expired session is deleted and signs out; a
 * session older than SESSION_UPDATE_AGE_S is extended. Nothing is cached between requests.
 */
export async function loadSessionViewer(db: Db, sessionToken: string, now = Date.now()): Promise<Viewer | null> {
  if (!sessionToken) return null;
  const [row] = await db.$queryRaw<Row[]>`
    SELECT s.expires, u.id, u.login, u.name, u.image, u."isAdmin", u."reposFetchedAt", u."reposError",
           (SELECT json_agg(json_build_array(r."fullName", r.permission)) FROM "UserRepository" r WHERE r."userId" = u.id) AS repositories
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."sessionToken" = ${sessionToken}`;
  if (!row) return null;
  const expires = row.expires.getTime();
  if (expires < now) {
    await db.session.deleteMany({ where: { sessionToken } });
    return null;
  }
  if (expires - SESSION_MAX_AGE_S * 1000 + SESSION_UPDATE_AGE_S * 1000 <= now) {
    await db.session.updateMany({
      where: { sessionToken },
      data: { expires: new Date(now + SESSION_MAX_AGE_S * 1000) },
    });
  }
  const { expires: _, repositories, ...user } = row;
  return viewerFrom(
    db,
    { ...user, repositories: (repositories ?? []).map(([fullName, permission]) => ({ fullName, permission })) },
    now,
  );
}
