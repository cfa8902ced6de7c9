import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { GitHubApp } from "./current-app";
import { planLookup } from "./installation-cache";
import { readInstallation as readInstallationAnswer } from "./installation-shape";
import {
  readCachedRepository,
  readInstallation,
  saveNotInstalled,
  saveRepositoryInstallation,
  type CachedInstallation,
} from "./installation-store";
import type { ClientMode } from "./limit-decision";
import { failureStatus } from "./request-failure";

// Which installation of the App reaches owner/repo: the PostgreSQL cache when its answer is fresh enough
// (installation-cache.ts), else GET /repos/{owner}/{repo}/installation as the App, whose answer is stored for every
// instance. GitHub's 404 there means the App is not installed on the repository (or cannot see it).

export type InstallationLookup =
  | { kind: "installed"; installation: CachedInstallation }
  | { kind: "not-installed" }
  /** GitHub refused the App's own JWT: the App id or key is wrong, or the App was deleted. */
  | { kind: "app-refused"; message: string };

export async function installationFor(
  owner: string,
  repo: string,
  deps: { app: GitHubApp; db: Db; mode?: ClientMode; now?: Date },
): Promise<InstallationLookup> {
  const now = deps.now ?? new Date();
  const fullName = `${owner}/${repo}`;
  const plan = planLookup(await readCachedRepository(deps.db, deps.app.appId, fullName), now);
  if (plan.kind === "not-installed") return { kind: "not-installed" };
  if (plan.kind === "use") {
    const cached = await readInstallation(deps.db, plan.installationId);
    if (cached) return { kind: "installed", installation: cached };
  }
  let answer: unknown;
  try {
    const response = await deps.app.octokit(deps.mode).request("GET /repos/{owner}/{repo}/installation", {
      owner,
      repo,
    });
    answer = response.data;
  } catch (error) {
    const status = failureStatus(error);
    if (status === 404) {
      await saveNotInstalled(deps.db, { appId: deps.app.appId, fullName, now });
      return { kind: "not-installed" };
    }
    if (status === 401) return { kind: "app-refused", message: "GitHub does not accept the App's credentials" };
    throw error;
  }
  const installation = readInstallationAnswer(answer);
  if (!installation) throw new Error("GitHub answered GET /repos/{owner}/{repo}/installation with no installation");
  await saveRepositoryInstallation(deps.db, { appId: deps.app.appId, fullName, installation, now });
  return {
    kind: "installed",
    installation: {
      id: installation.id,
      accountLogin: installation.account.login,
      repositorySelection: installation.repositorySelection,
      permissions: installation.permissions,
      events: installation.events,
      suspendedAt: installation.suspendedAt,
    },
  };
}
