import "server-only";
import { z } from "zod";
import { highestPermission, type ReadableRepository } from "@/lib/server/auth/github-access";
import { githubPaginate } from "@/lib/server/github/api";

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

/** The repositories an App user token reaches, by owner/name lower-cased, as fetchReadableRepositories gives them. */
export async function fetchInstalledRepositories(token: string): Promise<Map<string, ReadableRepository>> {
  const installations = await githubPaginate<unknown>("/user/installations?per_page=100", token, {
    key: "installations",
  });
  const result = new Map<string, ReadableRepository>();
  for (const item of installations) {
    const installation = installationPayload.safeParse(item);
    if (!installation.success) continue;
    const repositories = await githubPaginate<unknown>(
      `/user/installations/${installation.data.id}/repositories?per_page=100`,
      token,
      { key: "repositories" },
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
