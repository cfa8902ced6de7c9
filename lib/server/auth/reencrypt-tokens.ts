import "server-only";
import { decryptToken, encryptToken, isSealedWithCurrentKey, type TokenKeyring } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";

// Re-seals every stored token with the keyring's sealing key in the current format, so an old key
// can then be dropped from TOKEN_ENCRYPTION_PREVIOUS_KEYS. Safe to re-run and to run while the app
// serves: a token already sealed with that key is left alone, and a token is replaced only if it is
// still the one that was read (a sign-in meanwhile wrote a newer one, sealed with that key already).

export interface ReencryptCounts {
  /** Token values read (an account has up to two: access_token and refresh_token). */
  scanned: number;
  reencrypted: number;
  alreadyCurrent: number;
  /** Sealed with no configured key, or altered: left as they are; their users sign in again. */
  unreadable: number;
  /** Replaced by a sign-in between the read and the write: the new value is current already. */
  changedMeanwhile: number;
}

const COLUMNS = ["access_token", "refresh_token"] as const;

type AccountTokens = {
  id: string;
  provider: string;
  providerAccountId: string;
  access_token: string | null;
  refresh_token: string | null;
};

export async function reencryptTokens(
  db: Db,
  keyring: TokenKeyring,
  { batchSize = 200 }: { batchSize?: number } = {},
): Promise<ReencryptCounts> {
  const counts: ReencryptCounts = { scanned: 0, reencrypted: 0, alreadyCurrent: 0, unreadable: 0, changedMeanwhile: 0 };
  let after: string | null = null;
  for (;;) {
    const accounts: AccountTokens[] = await db.account.findMany({
      where: after ? { id: { gt: after } } : {},
      select: { id: true, provider: true, providerAccountId: true, access_token: true, refresh_token: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    for (const account of accounts) {
      for (const column of COLUMNS) {
        const stored = account[column];
        if (!stored) continue;
        counts.scanned++;
        if (isSealedWithCurrentKey(stored, keyring)) {
          counts.alreadyCurrent++;
          continue;
        }
        const slot = { column, provider: account.provider, providerAccountId: account.providerAccountId };
        const plain = decryptToken(stored, keyring, slot);
        if (plain === null) {
          counts.unreadable++;
          continue;
        }
        const { count } = await db.account.updateMany({
          where: { id: account.id, [column]: stored },
          data: { [column]: encryptToken(plain, keyring, slot) },
        });
        if (count === 1) counts.reencrypted++;
        else counts.changedMeanwhile++;
      }
    }
    if (accounts.length < batchSize) return counts;
    after = accounts[accounts.length - 1]?.id ?? null;
  }
}
