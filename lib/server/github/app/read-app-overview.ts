import "server-only";
import { z } from "zod";
import type { GitHubApp } from "./current-app";
import { readInstallation, type Installation } from "./installation-shape";
import { readPermissions, type PermissionLevel } from "./permissions";

// What GitHub says about the App now, for the setup page: the App itself (GET /app, as the App), every installation
// (GET /app/installations), and for those on selected repositories which ones (GET /installation/repositories, as
// each installation). Asked for a person waiting on the page, so a rate limit fails it rather than waits.

const PER_PAGE = 100;
/** 1000 installations, 1000 repositories per installation: far past one self-hosted organisation. */
const MAX_PAGES = 10;

export interface AppDescription {
  id: number;
  slug: string;
  name: string;
  ownerLogin: string | null;
  permissions: Record<string, PermissionLevel>;
  events: string[];
}

export interface InstallationOverview extends Installation {
  /** owner/name of the selected repositories; null when the installation has all of the account's. */
  repositories: string[] | null;
  /** More than MAX_PAGES pages: the list is cut. */
  repositoriesCut: boolean;
}

const appSchema = z.object({
  id: z.number().int().positive(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,33}$/),
  name: z.string().min(1).max(200),
  owner: z
    .object({ login: z.string().max(100) })
    .nullable()
    .optional(),
  permissions: z.unknown(),
  events: z.array(z.string().max(64)).max(200).optional(),
});

const repositoriesSchema = z.object({
  repositories: z.array(z.object({ full_name: z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/) })),
});

export async function describeApp(app: GitHubApp): Promise<AppDescription> {
  const { data } = await app.octokit("interactive").request("GET /app");
  const parsed = appSchema.parse(data);
  return {
    id: parsed.id,
    slug: parsed.slug,
    name: parsed.name,
    ownerLogin: parsed.owner?.login ?? null,
    permissions: readPermissions(parsed.permissions),
    events: parsed.events ?? [],
  };
}

export async function listInstallations(app: GitHubApp): Promise<Installation[]> {
  const installations: Installation[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await app.octokit("interactive").request("GET /app/installations", { per_page: PER_PAGE, page });
    const items: unknown[] = Array.isArray(data) ? data : [];
    installations.push(...items.map(readInstallation).filter((i): i is Installation => i !== null));
    if (items.length < PER_PAGE) break;
  }
  return installations;
}

async function selectedRepositories(app: GitHubApp, installationId: number) {
  const names: string[] = [];
  const octokit = app.installationOctokit(installationId, "interactive");
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await octokit.request("GET /installation/repositories", { per_page: PER_PAGE, page });
    const items = repositoriesSchema.parse(data).repositories;
    names.push(...items.map((r) => r.full_name));
    if (items.length < PER_PAGE) return { names, cut: false };
  }
  return { names, cut: true };
}

export async function readInstallationOverviews(
  app: GitHubApp,
  installations: readonly Installation[],
): Promise<InstallationOverview[]> {
  return Promise.all(
    installations.map(async (installation) => {
      // A suspended installation has no token to list with.
      if (installation.repositorySelection === "all" || installation.suspendedAt)
        return {
          ...installation,
          repositories: installation.repositorySelection === "all" ? null : [],
          repositoriesCut: false,
        };
      const { names, cut } = await selectedRepositories(app, installation.id);
      return { ...installation, repositories: names, repositoriesCut: cut };
    }),
  );
}
