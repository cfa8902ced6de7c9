import "server-only";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { currentApp, type GitHubApp } from "./current-app";
import { installationFor } from "./installation-for";
import type { ClientMode } from "./limit-decision";
import type { AppOctokitInstance } from "./octokit";

// Stageboard as a GitHub App: the entry points the rest of the app uses.
// - githubApp(): the App (GITHUB_APP_* or the setup page's registration), or null when there is none;
// - installationClient("owner/repo"): an Octokit acting as the App's installation on that repository, or why not.
// Clients throttle and retry as GitHub advises (octokit.ts, limit-decision.ts) and share installation tokens.

export type { GitHubApp } from "./current-app";
export type { ClientMode } from "./limit-decision";
export type { AppOctokitInstance } from "./octokit";
export { installationFor, type InstallationLookup } from "./installation-for";

export function githubApp(): Promise<GitHubApp | null> {
  return currentApp();
}

export type InstallationClient =
  | { kind: "installed"; octokit: AppOctokitInstance; installationId: number; repository: string }
  | { kind: "not-installed"; repository: string; message: string }
  | { kind: "not-configured"; message: string }
  | { kind: "app-refused"; message: string };

const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9_.-]{1,100})$/;

/**
 * The client for `repositoryFullName`'s installation. `background` (write-back) waits out GitHub's primary limit;
 * `interactive` (the default: a person is waiting) fails instead. Throws only when GitHub cannot be asked.
 */
export async function installationClient(
  repositoryFullName: string,
  options: { mode?: ClientMode; db?: Db } = {},
): Promise<InstallationClient> {
  const match = REPOSITORY.exec(repositoryFullName);
  if (!match) throw new Error("installationClient needs an owner/name repository");
  const [, owner = "", repo = ""] = match;
  const app = await currentApp();
  if (!app) return { kind: "not-configured", message: "No GitHub App is configured for Stageboard" };
  const lookup = await installationFor(owner, repo, { app, db: options.db ?? appDb, mode: options.mode });
  if (lookup.kind === "app-refused") return lookup;
  if (lookup.kind === "not-installed")
    return {
      kind: "not-installed",
      repository: repositoryFullName,
      message: `The GitHub App is not installed on ${repositoryFullName}`,
    };
  return {
    kind: "installed",
    octokit: app.installationOctokit(lookup.installation.id, options.mode),
    installationId: lookup.installation.id,
    repository: repositoryFullName,
  };
}
