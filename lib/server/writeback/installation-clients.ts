import "server-only";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db/client";
import { githubApp, installationClient } from "@/lib/server/github/app";
import { contentBudget, type ContentLimits } from "./content-budget";
import type { WritebackClient } from "./github-check-runs";
import type { NoClient } from "./job-outcome";

// Which client sends a repository's jobs: the App's installation on it, in background mode (it waits out GitHub's
// limits instead of failing, and nobody waits on it), or why there is none. Its writes draw on the installation's
// content budget, shared by every process through PostgreSQL.

export function configuredContentLimits(): ContentLimits {
  return { perMinute: env.WRITEBACK_CONTENT_PER_MINUTE, perHour: env.WRITEBACK_CONTENT_PER_HOUR };
}

export type ClientLookup = { kind: "ready"; client: WritebackClient } | NoClient;

export async function writebackClientFor(db: Db, repository: string): Promise<ClientLookup> {
  const app = await githubApp();
  if (!app) return { kind: "no-app", message: "No GitHub App is configured for Stageboard" };
  const found = await installationClient(repository, { mode: "background", db });
  switch (found.kind) {
    case "installed":
      return {
        kind: "ready",
        client: {
          octokit: found.octokit,
          installationId: found.installationId,
          appId: app.appId,
          writeContent: contentBudget(db, { installationId: found.installationId, limits: configuredContentLimits() }),
        },
      };
    case "not-installed":
      return { kind: "not-installed", message: found.message };
    case "not-configured":
      return { kind: "no-app", message: found.message };
    case "app-refused":
      return { kind: "unavailable", message: found.message };
  }
}
