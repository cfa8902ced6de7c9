import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { signInMode } from "@/lib/config/sign-in";
import { sealToken } from "@/lib/server/auth/adapter";
import { tokenDecision } from "@/lib/server/auth/token-refresh-decision";
import { openAccountToken } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";
import { GitHubError, GITHUB_REQUEST_TIMEOUT_MS } from "@/lib/server/github/api";
import { GITHUB_WEB_URL } from "@/lib/server/github/config";
import { logger } from "@/lib/server/logger";

// The person's GitHub user token, ready to use. With the GitHub App's sign-in it expires after 8 hours: shortly
// before, it is renewed with its refresh token (GitHub rotates both), one renewal at a time per person across
// processes (a row lock on the account: a second caller waits, then finds the new pair). When GitHub refuses the
// refresh token (revoked, expired, already used), the person's sessions end and the sign-in page says why.

export const ENDED_BY_GITHUB = "GitHub ended your sign-in; sign in again";
/** How long an ended session is remembered for the sign-in page's message. */
const ENDED_KEPT_MS = 30 * 86_400_000;

type AccountRow = {
  id: string;
  provider: string;
  providerAccountId: string;
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
  refresh_token_expires_at: number | null;
  scope: string | null;
};

const SELECT = {
  id: true,
  provider: true,
  providerAccountId: true,
  access_token: true,
  refresh_token: true,
  expires_at: true,
  refresh_token_expires_at: true,
  scope: true,
} as const;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().int().positive().optional(),
});
const errorAnswer = z.object({ error: z.string() });

/**
 * Whether the stored token may be used with the sign-in in use: after a switch to the App's sign-in, a token the
 * OAuth App issued (it has scopes; an App user token has none) would still reach every repository, so it is not.
 */
function fromCurrentSignIn(account: AccountRow): boolean {
  return signInMode(env) !== "github-app" || !account.scope;
}

const open = (account: AccountRow, column: "access_token" | "refresh_token") => {
  const stored = account[column];
  return stored
    ? openAccountToken(stored, { column, provider: account.provider, providerAccountId: account.providerAccountId })
    : null;
};

/** GitHub's answer to the refresh grant: the new pair, "refused", or a throw when GitHub could not be asked. */
async function refreshGrant(refreshToken: string): Promise<z.infer<typeof tokenAnswer> | "refused"> {
  const response = await fetch(`${GITHUB_WEB_URL}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: env.GITHUB_APP_CLIENT_ID ?? "",
      client_secret: env.GITHUB_APP_CLIENT_SECRET ?? "",
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    }),
    signal: AbortSignal.timeout(GITHUB_REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new GitHubError(response.status, "GitHub did not renew the sign-in");
  const body: unknown = await response.json();
  const renewed = tokenAnswer.safeParse(body);
  if (renewed.success) return renewed.data;
  // GitHub answers 200 with an error: bad_refresh_token (revoked, expired or used), or a client problem.
  const refused = errorAnswer.safeParse(body);
  if (refused.success) {
    logger.warn({ error: refused.data.error }, "GitHub refused a refresh token");
    if (refused.data.error === "bad_refresh_token") return "refused";
  }
  throw new GitHubError(0, "GitHub sent an unreadable token answer");
}

/**
 * Ends the person's sign-in: the account's tokens are cleared, every session is deleted and remembered (by its
 * hash) so the sign-in page can say GitHub ended it. Never throws past the database.
 */
export async function endSignIn(db: Db, userId: string, now = new Date()): Promise<void> {
  const sessions = await db.session.findMany({ where: { userId }, select: { tokenHash: true } });
  await db.$transaction([
    db.endedSignIn.deleteMany({ where: { endedAt: { lt: new Date(now.getTime() - ENDED_KEPT_MS) } } }),
    db.endedSignIn.createMany({
      data: sessions.map(({ tokenHash }) => ({ tokenHash, endedAt: now })),
      skipDuplicates: true,
    }),
    db.session.deleteMany({ where: { userId } }),
    db.account.updateMany({
      where: { userId, provider: "github" },
      data: { access_token: null, refresh_token: null, expires_at: null, refresh_token_expires_at: null },
    }),
    db.user.update({ where: { id: userId }, data: { reposError: ENDED_BY_GITHUB } }),
  ]);
  logger.info({ userId, sessions: sessions.length }, "GitHub ended a sign-in");
}

/** Whether a session token (by hash) was ended by GitHub refusing to renew its sign-in. */
export async function endedByGitHub(db: Db, tokenHash: string): Promise<boolean> {
  return (await db.endedSignIn.count({ where: { tokenHash } })) > 0;
}

/**
 * Renews the account's pair under its row lock; the token to use, or null when the sign-in ended. With `refused`,
 * the access token GitHub just answered 401 to is renewed whatever its expiry says, unless another caller already
 * replaced it.
 */
async function renew(db: Db, userId: string, accountId: string, refused?: string): Promise<string | null> {
  const outcome = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
      const account = await tx.account.findUnique({ where: { id: accountId }, select: SELECT });
      if (!account?.access_token) return { kind: "none" } as const;
      const nowS = Math.floor(Date.now() / 1000);
      const decision = tokenDecision(
        {
          expiresAt: account.expires_at,
          hasRefreshToken: !!account.refresh_token,
          refreshExpiresAt: account.refresh_token_expires_at,
        },
        nowS,
      );
      const current = open(account, "access_token");
      // Renewed by another caller while this one waited for the lock (or still fine, when nothing was refused).
      if (decision === "use" && (refused === undefined || current !== refused))
        return { kind: "token", token: current } as const;
      const refreshToken = decision !== "ended" ? open(account, "refresh_token") : null;
      if (!refreshToken) return { kind: "ended" } as const;
      const renewed = await refreshGrant(refreshToken);
      if (renewed === "refused") return { kind: "ended" } as const;
      const slot = { provider: account.provider, providerAccountId: account.providerAccountId };
      const afterS = Math.floor(Date.now() / 1000);
      await tx.account.update({
        where: { id: accountId },
        data: {
          access_token: sealToken(renewed.access_token, { column: "access_token", ...slot }),
          refresh_token: sealToken(renewed.refresh_token, { column: "refresh_token", ...slot }),
          expires_at: renewed.expires_in ? afterS + renewed.expires_in : null,
          refresh_token_expires_in: renewed.refresh_token_expires_in ?? null,
          refresh_token_expires_at: renewed.refresh_token_expires_in ? afterS + renewed.refresh_token_expires_in : null,
        },
      });
      return { kind: "token", token: renewed.access_token } as const;
    },
    // The lock is held across one GitHub call (10 s at most); a second caller waits for it within this.
    { maxWait: 10_000, timeout: GITHUB_REQUEST_TIMEOUT_MS + 10_000 },
  );
  if (outcome.kind === "ended") {
    await endSignIn(db, userId);
    return null;
  }
  return outcome.kind === "token" ? outcome.token : null;
}

const renewing = new Map<string, Promise<string | null>>();

/**
 * The user's GitHub token, renewed first when it expires within REFRESH_MARGIN_S; null when there is none usable
 * (never signed in, signed in through the other sign-in, or GitHub ended the sign-in). Throws a GitHubError when
 * GitHub cannot be asked to renew a token that is about to run out (callers fail closed).
 */
export async function freshUserToken(db: Db, userId: string): Promise<string | null> {
  const account = await db.account.findFirst({
    where: { userId, provider: "github" },
    select: SELECT,
    orderBy: { id: "desc" },
  });
  if (!account?.access_token || !fromCurrentSignIn(account)) return null;
  const nowS = Math.floor(Date.now() / 1000);
  const times = {
    expiresAt: account.expires_at,
    hasRefreshToken: !!account.refresh_token,
    refreshExpiresAt: account.refresh_token_expires_at,
  };
  const decision = tokenDecision(times, nowS);
  if (decision === "use") return open(account, "access_token");
  if (decision === "ended") {
    await endSignIn(db, userId);
    return null;
  }
  // Concurrent callers in this process share one renewal; other processes wait on the row lock.
  const running = renewing.get(userId);
  if (running) return running;
  const promise = renew(db, userId, account.id)
    .catch((error: unknown) => {
      // GitHub could not be asked: a token that has not run out yet still works meanwhile.
      if (account.expires_at !== null && account.expires_at > Math.floor(Date.now() / 1000))
        return open(account, "access_token");
      throw error instanceof GitHubError ? error : new GitHubError(0, "GitHub could not renew the sign-in");
    })
    .finally(() => renewing.delete(userId));
  renewing.set(userId, promise);
  return promise;
}

/**
 * After GitHub answered 401 to `refusedToken` (revoked before its expiry, say): with the App's sign-in, one renewal
 * tells whether the sign-in still stands; a refused refresh token ends it (sessions deleted, as above).
 */
export async function renewAfterRefusal(db: Db, userId: string, refusedToken: string): Promise<string | null> {
  if (signInMode(env) !== "github-app") return null;
  const account = await db.account.findFirst({
    where: { userId, provider: "github" },
    select: { id: true, refresh_token: true },
    orderBy: { id: "desc" },
  });
  if (!account?.refresh_token) return null;
  return renew(db, userId, account.id, refusedToken);
}
