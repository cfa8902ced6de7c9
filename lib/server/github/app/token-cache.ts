import "server-only";

// Installation tokens, shared by every client of one App (a page's and write-back's clients of an installation use
// the same token). @octokit/auth-app keeps a cache per client with this rule: at most 15000 tokens, each for 59
// minutes, one under GitHub's hour, so a token is never used in its last minute. This is that cache, shared and
// with a clock that tests can move; auth-app decides the keys (the installation id, plus any narrowing).

export const TOKEN_TTL_MS = 59 * 60 * 1000;
const MAX_ENTRIES = 15_000;

export interface TokenCache {
  /** "" when there is none (auth-app's interface: anything falsy is a miss). */
  get(key: string): string;
  set(key: string, value: string): void;
  /** Forgets every token of an installation (GitHub refused one: the App was uninstalled or the token revoked). */
  forgetInstallation(installationId: number): void;
}

export function createTokenCache(now: () => number = Date.now): TokenCache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return "";
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return "";
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + TOKEN_TTL_MS });
      // Oldest first: Map keeps insertion order, and a set moves the key to the end.
      for (const oldest of entries.keys()) {
        if (entries.size <= MAX_ENTRIES) break;
        entries.delete(oldest);
      }
    },
    forgetInstallation(installationId) {
      const id = String(installationId);
      for (const key of [...entries.keys()]) if (key === id || key.startsWith(`${id}|`)) entries.delete(key);
    },
  };
}
