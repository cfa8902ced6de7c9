import "server-only";
import { judgeSession } from "@/lib/server/auth/session-policy";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { viewerFrom, type Viewer, type ViewerSource } from "@/lib/server/auth/visibility";
import type { Db } from "@/lib/server/db/client";

type Row = Omit<ViewerSource, "repositories"> & {
  sessionId: string;
  expires: Date;
  sessionCreatedAt: Date;
  repositories: [fullName: string, permission: string, githubId: string | null][] | null;
};

/**
 * The viewer behind a session cookie, in one round trip: session, user and cached repositories
 * (next-auth's getServerSession followed by loadViewer took three to four). It keeps next-auth's
 * database-session rules (core/routes/session.js) and the absolute lifetime (session-policy.ts): an
 * unknown token (forged, tampered with, or ended by a sign-out anywhere) finds no row; a session past
 * its expiry or its absolute lifetime is deleted and signs out; a session older than
 * SESSION_UPDATE_AGE_S is extended, never past its absolute end. The row is found by the token's hash:
 * the token itself is never stored. Nothing is cached between requests.
 */
export async function loadSessionViewer(db: Db, sessionToken: string, now = Date.now()): Promise<Viewer | null> {
  if (!sessionToken) return null;
  const [row] = await db.$queryRaw<Row[]>`
    SELECT s.id AS "sessionId", s.expires, s."createdAt" AS "sessionCreatedAt",
           u.id, u.login, u.name, u.image, u."isAdmin", u."reposFetchedAt", u."reposError",
           (SELECT json_agg(json_build_array(r."fullName", r.permission, r."githubId"::text)) FROM "UserRepository" r WHERE r."userId" = u.id) AS repositories
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."tokenHash" = ${hashSessionToken(sessionToken)}`;
  if (!row) return null;
  const verdict = judgeSession({ expires: row.expires, createdAt: row.sessionCreatedAt }, now);
  if (verdict.kind === "ended") {
    await db.session.deleteMany({ where: { id: row.sessionId } });
    return null;
  }
  if (verdict.extendTo) {
    await db.session.updateMany({ where: { id: row.sessionId }, data: { expires: verdict.extendTo } });
  }
  const { sessionId: _id, expires: _expires, sessionCreatedAt: _created, repositories, ...user } = row;
  return viewerFrom(
    db,
    {
      ...user,
      // The id travels as text: a JSON number could not carry every 64-bit id exactly.
      repositories: (repositories ?? []).map(([fullName, permission, githubId]) => ({
        fullName,
        permission,
        githubId,
      })),
    },
    now,
  );
}
