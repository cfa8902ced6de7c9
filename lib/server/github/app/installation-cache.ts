import "server-only";

// When the cached answer to "which installation of the App reaches this repository?" may be used, and when GitHub
// must be asked again (GET /repos/{owner}/{repo}/installation). Pure: the stored row and the clock in, a plan out.
// - An installation is trusted for an hour: permissions and repository selection change rarely, and a change that
//   matters shows sooner anyway, as GitHub refusing the token (which forgets the row, installation-client.ts).
// - "Not installed" is trusted for five minutes only: installing the App should take effect without a wait, and
//   without the row every write-back for a repository without the App would ask GitHub again.

export const INSTALLATION_TTL_MS = 60 * 60 * 1000;
export const NOT_INSTALLED_TTL_MS = 5 * 60 * 1000;

export interface CachedRepository {
  installationId: number | null;
  checkedAt: Date;
  /** The installation row's own age (it may have been refreshed through another repository). */
  installationFetchedAt: Date | null;
}

export type LookupPlan = { kind: "use"; installationId: number } | { kind: "not-installed" } | { kind: "ask" };

export function planLookup(cached: CachedRepository | null, now: Date): LookupPlan {
  if (!cached) return { kind: "ask" };
  const age = (at: Date) => now.getTime() - at.getTime();
  if (cached.installationId === null)
    return age(cached.checkedAt) < NOT_INSTALLED_TTL_MS ? { kind: "not-installed" } : { kind: "ask" };
  const fresh =
    age(cached.checkedAt) < INSTALLATION_TTL_MS &&
    cached.installationFetchedAt !== null &&
    age(cached.installationFetchedAt) < INSTALLATION_TTL_MS;
  return fresh ? { kind: "use", installationId: cached.installationId } : { kind: "ask" };
}

/** What a failed request made with an installation's token says about the cache. */
export type InstallationFailure =
  /** POST /app/installations/{id}/access_tokens answered 404: the App is no longer installed there. */
  | { kind: "installation-gone"; installationId: number }
  /** The token was refused: drop it, and ask GitHub again about every repository of the installation. */
  | { kind: "token-refused" }
  /** A repository answered 404: perhaps no longer among a selected installation's; ask again next time. */
  | { kind: "repository-unreachable"; fullName: string }
  | { kind: "other" };

export function classifyInstallationFailure(input: { status: number; url: string }): InstallationFailure {
  let path: string;
  try {
    path = new URL(input.url).pathname;
  } catch {
    return { kind: "other" };
  }
  const tokens = /\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
  if (tokens && input.status === 404) return { kind: "installation-gone", installationId: Number(tokens[1]) };
  if (input.status === 401) return { kind: "token-refused" };
  const repository = /\/repos\/([^/]+)\/([^/]+)(?:\/|$)/.exec(path);
  if (repository && input.status === 404) {
    const [, owner = "", name = ""] = repository;
    try {
      const fullName = `${decodeURIComponent(owner)}/${decodeURIComponent(name)}`.toLowerCase();
      return { kind: "repository-unreachable", fullName };
    } catch {
      return { kind: "other" };
    }
  }
  return { kind: "other" };
}
