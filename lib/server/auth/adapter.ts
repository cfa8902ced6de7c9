import "server-only";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import { absoluteEnd, judgeSession, SESSION_ABSOLUTE_MAX_AGE_S } from "@/lib/server/auth/session-policy";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { sealAccountToken, type TokenSlot } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";

type DbUser = { id: string; login: string; name: string | null; email: string | null; image: string | null };

const toAdapterUser = (user: DbUser): AdapterUser => ({
  id: user.id,
  name: user.name ?? user.login,
  email: user.email ?? "",
  image: user.image,
  emailVerified: null,
});

/** A token sealed for the account row and column it is written to (a ciphertext opens only there). */
export const sealToken = (token: string | null | undefined, slot: TokenSlot) =>
  token ? sealAccountToken(token, slot) : null;

/**
 * next-auth's storage, on our Prisma models. Identity is the GitHub account id: users are never
 * matched by e-mail (that is how account-linking takeovers happen), and tokens are sealed before
 * they are written.
 */
export function stageboardAdapter(db: Db): Adapter {
  return {
    async createUser(data: Omit<AdapterUser, "id">) {
      const profile = data as Omit<AdapterUser, "id"> & { githubId?: number; login?: string };
      if (typeof profile.githubId !== "number" || !profile.login) throw new Error("GitHub profile without id or login");
      // An upsert (INSERT … ON CONFLICT in Postgres): two first sign-ins of one person racing each
      // other (two tabs) must both land on the same user instead of one failing.
      const fields = { login: profile.login, name: profile.name, email: profile.email || null, image: profile.image };
      const user = await db.user.upsert({
        where: { githubId: profile.githubId },
        create: { githubId: profile.githubId, ...fields },
        update: fields,
      });
      return toAdapterUser(user);
    },
    async getUser(id) {
      const user = await db.user.findUnique({ where: { id } });
      return user ? toAdapterUser(user) : null;
    },
    getUserByEmail: () => null,
    async getUserByAccount({ provider, providerAccountId }) {
      const account = await db.account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        include: { user: true },
      });
      return account ? toAdapterUser(account.user) : null;
    },
    async updateUser({ id, name, email, image }) {
      const user = await db.user.update({ where: { id }, data: { name, email: email || null, image } });
      return toAdapterUser(user);
    },
    async deleteUser(id) {
      await db.user.delete({ where: { id } });
    },
    async linkAccount(account: AdapterAccount) {
      const key = { provider: account.provider, providerAccountId: account.providerAccountId };
      const refreshIn = typeof account.refresh_token_expires_in === "number" ? account.refresh_token_expires_in : null;
      const tokens = {
        access_token: sealToken(account.access_token, { column: "access_token", ...key }),
        refresh_token: sealToken(account.refresh_token, { column: "refresh_token", ...key }),
        expires_at: account.expires_at ?? null,
        refresh_token_expires_in: refreshIn,
        refresh_token_expires_at: refreshIn === null ? null : Math.floor(Date.now() / 1000) + refreshIn,
        token_type: account.token_type ?? null,
        scope: account.scope ?? null,
      };
      await db.account.upsert({
        where: { provider_providerAccountId: key },
        create: { userId: account.userId, type: account.type, ...key, ...tokens },
        update: tokens,
      });
    },
    async unlinkAccount({ provider, providerAccountId }: Pick<AdapterAccount, "provider" | "providerAccountId">) {
      await db.account.delete({ where: { provider_providerAccountId: { provider, providerAccountId } } });
    },
    // Sessions are stored under the SHA-256 of their token (session-token.ts); next-auth keeps handling
    // the token itself, which only the cookie holds. Every method hashes before it touches the table.
    async createSession({ sessionToken, userId, expires }) {
      const now = new Date();
      const capped = new Date(Math.min(expires.getTime(), absoluteEnd(now).getTime()));
      const created = await db.session.create({
        data: { tokenHash: hashSessionToken(sessionToken), userId, expires: capped, createdAt: now },
        select: { userId: true, expires: true },
      });
      return { sessionToken, ...created };
    },
    async getSessionAndUser(sessionToken) {
      const tokenHash = hashSessionToken(sessionToken);
      const found = await db.session.findUnique({ where: { tokenHash }, include: { user: true } });
      if (!found) return null;
      const verdict = judgeSession(found, Date.now());
      if (verdict.kind === "ended") {
        await db.session.deleteMany({ where: { tokenHash } });
        return null;
      }
      return {
        session: { sessionToken, userId: found.userId, expires: verdict.expires },
        user: toAdapterUser(found.user),
      };
    },
    async updateSession({ sessionToken, expires }) {
      if (!sessionToken || !expires) return null;
      // next-auth extends by its sliding maxAge; never past the absolute lifetime.
      const [updated] = await db.$queryRaw<{ userId: string; expires: Date }[]>`
        UPDATE "Session"
        SET expires = LEAST(${expires}, "createdAt" + ${SESSION_ABSOLUTE_MAX_AGE_S}::integer * interval '1 second')
        WHERE "tokenHash" = ${hashSessionToken(sessionToken)}
        RETURNING "userId", expires`;
      return updated ? { sessionToken, ...updated } : null;
    },
    async deleteSession(sessionToken) {
      await db.session.deleteMany({ where: { tokenHash: hashSessionToken(sessionToken) } });
    },
  };
}
