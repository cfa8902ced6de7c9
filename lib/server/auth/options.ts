import "server-only";
import type { AuthOptions } from "next-auth";
import GithubProvider, { type GithubEmail, type GithubProfile } from "next-auth/providers/github";
import { env } from "@/lib/env";
import { signInMode } from "@/lib/config/sign-in";
import { sealToken, stageboardAdapter } from "@/lib/server/auth/adapter";
import { refreshWithin } from "@/lib/server/auth/access-refresh";
import { safeRedirect } from "@/lib/server/auth/safe-redirect";
import { SECURE_COOKIES, SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S } from "@/lib/server/auth/session-policy";
import { generateSessionToken } from "@/lib/server/auth/session-token";
import { refreshAccess } from "@/lib/server/auth/visibility";
import { db } from "@/lib/server/db/client";
import { GITHUB_REQUEST_TIMEOUT_MS } from "@/lib/server/github/api";
import { GITHUB_API_URL, GITHUB_SCOPES, GITHUB_WEB_URL } from "@/lib/server/github/config";
import { logger } from "@/lib/server/logger";

const APP_SIGN_IN = signInMode(env) === "github-app";

export const authOptions: AuthOptions = {
  adapter: stageboardAdapter(db),
  secret: env.NEXTAUTH_SECRET,
  // The absolute lifetime (SESSION_MAX_AGE_DAYS) is enforced by the adapter and our own session lookup.
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_S, updateAge: SESSION_UPDATE_AGE_S, generateSessionToken },
  // Stated, not derived by next-auth, so getViewer reads the very cookie next-auth writes.
  useSecureCookies: SECURE_COOKIES,
  pages: { signIn: "/login", error: "/login" },
  providers: [
    // One provider id, "github", for both sign-ins (an instance uses one of them, lib/config/sign-in.ts): accounts
    // stay keyed by GitHub account id whichever issued the token, the callback URL to register is the same
    // (/api/auth/callback/github), and a token from the other sign-in is simply not used (user-token.ts).
    GithubProvider({
      clientId: (APP_SIGN_IN ? env.GITHUB_APP_CLIENT_ID : env.GITHUB_CLIENT_ID) ?? "",
      clientSecret: (APP_SIGN_IN ? env.GITHUB_APP_CLIENT_SECRET : env.GITHUB_CLIENT_SECRET) ?? "",
      // Every URL is derived from GITHUB_URL, so github.com, GitHub Enterprise Server and the local
      // stand-in are the same code path. The stock provider would call api.github.com for e-mails.
      // A GitHub App's user authorization takes no scopes: its token can do what both the person and the App may.
      authorization: {
        url: `${GITHUB_WEB_URL}/login/oauth/authorize`,
        params: { scope: APP_SIGN_IN ? "" : GITHUB_SCOPES },
      },
      token: `${GITHUB_WEB_URL}/login/oauth/access_token`,
      userinfo: {
        url: `${GITHUB_API_URL}/user`,
        async request({ client, tokens }) {
          const profile = (await client.userinfo(tokens.access_token ?? "")) as GithubProfile;
          if (!profile.email) {
            const res = await fetch(`${GITHUB_API_URL}/user/emails`, {
              headers: { Authorization: `token ${tokens.access_token ?? ""}` },
              signal: AbortSignal.timeout(GITHUB_REQUEST_TIMEOUT_MS),
            });
            if (res.ok) {
              const emails = (await res.json()) as GithubEmail[];
              profile.email = (emails.find((e) => e.primary) ?? emails[0])?.email ?? null;
            }
          }
          // openid-client's Profile type wants `undefined` where GitHub sends null.
          return { ...profile, name: profile.name ?? undefined, email: profile.email ?? undefined };
        },
      },
      httpOptions: { timeout: 10_000 },
      profile: (p: GithubProfile) => ({
        id: String(p.id),
        githubId: p.id,
        login: p.login,
        name: p.name ?? p.login,
        email: p.email,
        image: p.avatar_url,
      }),
    }),
  ],
  callbacks: {
    redirect: ({ url, baseUrl }) => safeRedirect(url, baseUrl),
    session: ({ session, user }) => ({ ...session, user: { ...session.user, id: user.id } }),
  },
  events: {
    // next-auth keeps the token of the first sign-in; store each new one and refresh access with it.
    async signIn({ user, account }) {
      if (!account?.access_token) return;
      const slot = { provider: account.provider, providerAccountId: account.providerAccountId };
      const refreshIn = typeof account.refresh_token_expires_in === "number" ? account.refresh_token_expires_in : null;
      await db.account.updateMany({
        where: slot,
        data: {
          access_token: sealToken(account.access_token, { column: "access_token", ...slot }),
          // An App user token's renewal (user-token.ts); an OAuth App's token has neither.
          refresh_token: sealToken(account.refresh_token, { column: "refresh_token", ...slot }),
          expires_at: account.expires_at ?? null,
          refresh_token_expires_in: refreshIn,
          refresh_token_expires_at: refreshIn === null ? null : Math.floor(Date.now() / 1000) + refreshIn,
          scope: account.scope ?? null,
        },
      });
      const stored = await db.user.findUnique({ where: { id: user.id }, select: { login: true } });
      // A new token: an earlier failure's backoff no longer applies. At most a few seconds here; the
      // dashboard then waits for (or shares) the same refresh if it is still running.
      if (stored) await refreshWithin(db, user.id, refreshAccess(db, user.id, stored.login, { force: true }));
    },
  },
  logger: {
    // next-auth's default logger prints whole error objects, which can carry tokens or codes.
    error: (code, metadata) =>
      logger.error({ code, reason: metadata instanceof Error ? metadata.message : undefined }, "auth error"),
    warn: (code) => logger.warn({ code }, "auth warning"),
    debug: () => undefined,
  },
};

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
  }
}
