import "server-only";
import { z } from "zod";
import { highestPermission, type ReadableRepository } from "@/lib/server/auth/github-access";
import { GitHubError, githubFetch } from "@/lib/server/github/api";
import { GITHUB_API_URL } from "@/lib/server/github/config";

// What a GitHub App user token reaches (APP-FACTS §1.6): the repositories both the person and one of the App's
// installations reach, listed per installation (GET /user/installations, then GET /user/installations/{id}/repositories),
// each with the person's own permissions. /user/repos would give the same intersection; these endpoints say it per
// installation and are the ones GitHub documents for App user tokens.

const repoPayload = z.object({
  id: z.number().int().positive().refine(Number.isSafeInteger),
  full_name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}$/),
  permissions: z.record(z.string(), z.boolean()).optional(),
  private: z.boolean().catch(true),
  default_branch: z.string().min(1).max(255).nullable().catch(null),
});
const installationPayload = z.object({ id: z.number().int().positive().refine(Number.isSafeInteger) });

function nextLink(header: string | null): string | undefined {
  const next = header
    ?.split(",")
    .map((part) => /<([^>]+)>;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
  // Only links on the configured API host are followed: one elsewhere would carry the token away.
  return next && URL.canParse(next) && new URL(next).origin === new URL(GITHUB_API_URL).origin ? next : undefined;
}

/** Every item of a `{ total_count, <key>: [...] }` list, following GitHub's Link pages (at most `maxPages`). */
async function paginateObjectList(path: string, key: string, token: string, maxPages = 100): Promise<unknown[]> {
  const items: unknown[] = [];
  let url: string | undefined = path;
  for (let page = 0; url && page < maxPages; page++) {
    const response = await githubFetch(url, token);
    const body: unknown = await response.json().catch(() => null);
    const list = body && typeof body === "object" ? (body as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(list)) throw new GitHubError(0, `GitHub sent a page without ${key}`);
    items.push(...(list as unknown[]));
    url = nextLink(response.headers.get("link"));
  }
  return items;
}

/** The repositories an App user token reaches, by owner/name lower-cased, as fetchReadableRepositories gives them. */
export async function fetchInstalledRepositories(token: string): Promise<Map<string, ReadableRepository>> {
  const installations = await paginateObjectList("/user/installations?per_page=100", "installations", token);
  const result = new Map<string, ReadableRepository>();
  for (const item of installations) {
    const installation = installationPayload.safeParse(item);
    if (!installation.success) continue;
    const repositories = await paginateObjectList(
      `/user/installations/${installation.data.id}/repositories?per_page=100`,
      "repositories",
      token,
    );
    for (const entry of repositories) {
      const repo = repoPayload.safeParse(entry);
      if (!repo.success) continue;
      const permission = highestPermission(repo.data.permissions);
      if (permission)
        result.set(repo.data.full_name.toLowerCase(), {
          permission,
          githubId: BigInt(repo.data.id),
          private: repo.data.private,
          defaultBranch: repo.data.default_branch,
        });
    }
  }
  return result;
}
