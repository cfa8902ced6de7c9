import "server-only";
import { manifestFormAction } from "@/lib/github-app/manifest-form";
import { env } from "@/lib/env";
import { configuredKeyring } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";
import { GITHUB_WEB_URL } from "@/lib/server/github/config";
import { logger } from "@/lib/server/logger";
import { uncoveredRepositories } from "./coverage";
import { credentialsState, currentApp } from "./current-app";
import { replaceInstallations } from "./installation-store";
import { appPageUrl, buildManifest, installationUrl } from "./manifest";
import { createManifestState, stateKey, type StateBinding } from "./manifest-state";
import { unapprovedPermissions, type PermissionGap } from "./permissions";
import { describeApp, listInstallations, readInstallationOverviews } from "./read-app-overview";
import { failureStatus } from "./request-failure";
import { storedRegistration } from "./stored-credentials";

// What /settings/github-app shows an administrator: without an App, the manifest form (what it asks GitHub for,
// where it posts, the state bound to this session); with one, the App, its installations (each with the requested
// permissions it has not approved yet) and the repositories with pipelines that no installation reaches.

export interface ManifestFormView {
  /** The manifest as the form posts it (JSON text). */
  manifest: string;
  githubUrl: string;
  state: string;
  /** The form's action for the admin's own account; the form builds an organisation's from githubUrl and state. */
  userAction: string;
  webhookUrl: string;
  webhookActive: boolean;
  permissions: Record<string, string>;
  events: string[];
}

export interface InstallationView {
  id: number;
  account: string;
  accountType: string;
  selection: "all" | "selected";
  repositories: string[] | null;
  repositoriesCut: boolean;
  unapproved: PermissionGap[];
  suspended: boolean;
  /** Where an owner of the account changes repositories or approves permissions (built from GitHub's URL rules). */
  settingsUrl: string;
}

export type SetupView =
  | { kind: "not-configured"; form: ManifestFormView | null; formProblem: string | null }
  | { kind: "unusable"; source: "environment" | "database"; reason: string }
  | {
      kind: "configured";
      source: "environment" | "database";
      appId: number;
      registeredBy: { login: string; at: Date } | null;
      /** Null when GitHub could not be asked: `problem` says why. */
      github: {
        name: string;
        slug: string;
        appUrl: string | null;
        installUrl: string | null;
        permissions: Record<string, string>;
        installations: InstallationView[];
        uncovered: string[];
      } | null;
      problem: string | null;
    };

const publicUrl = () => (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");

function manifestForm(
  binding: StateBinding | null,
  now: number,
): { form: ManifestFormView | null; problem: string | null } {
  const keyring = configuredKeyring();
  if (!keyring)
    return { form: null, problem: "TOKEN_ENCRYPTION_KEY is not set, so the App's credentials could not be stored." };
  if (!binding) return { form: null, problem: "Sign in again to create the App." };
  const manifest = buildManifest({ appUrl: publicUrl(), githubUrl: GITHUB_WEB_URL });
  const state = createManifestState(stateKey(keyring.current.key), binding, now);
  return {
    problem: null,
    form: {
      manifest: JSON.stringify(manifest),
      githubUrl: GITHUB_WEB_URL,
      state,
      userAction: manifestFormAction({ githubUrl: GITHUB_WEB_URL, owner: { kind: "user" }, state }),
      webhookUrl: manifest.hook_attributes.url,
      webhookActive: manifest.hook_attributes.active,
      permissions: manifest.default_permissions,
      events: manifest.default_events,
    },
  };
}

const settingsUrlOf = (account: { login: string; type: string }, id: number) =>
  account.type === "Organization"
    ? `${GITHUB_WEB_URL}/organizations/${encodeURIComponent(account.login)}/settings/installations/${id}`
    : `${GITHUB_WEB_URL}/settings/installations/${id}`;

/** Repositories with a pipeline Stageboard shows, by the name GitHub gives them now. */
async function repositoriesWithPipelines(db: Db): Promise<string[]> {
  const rows = await db.repository.findMany({
    where: { pipelines: { some: { deletedAt: null } } },
    select: { fullName: true, githubFullName: true },
  });
  return rows.map((row) => row.githubFullName ?? row.fullName);
}

export async function loadSetupView(input: { db: Db; binding: StateBinding | null; now?: number }): Promise<SetupView> {
  const state = await credentialsState();
  if (state.kind === "not-configured") {
    const { form, problem } = manifestForm(input.binding, input.now ?? Date.now());
    return { kind: "not-configured", form, formProblem: problem };
  }
  if (state.kind === "unusable") return { kind: "unusable", source: state.source, reason: state.reason };
  const { credentials } = state;
  const registration = credentials.source === "database" ? await storedRegistration(input.db) : null;
  const base = {
    kind: "configured" as const,
    source: credentials.source,
    appId: credentials.appId,
    registeredBy: registration ? { login: registration.createdByLogin, at: registration.createdAt } : null,
  };
  const app = await currentApp();
  if (!app)
    return { ...base, github: null, problem: "The App's configuration changed while loading; reload the page." };
  try {
    const [description, installations] = await Promise.all([describeApp(app), listInstallations(app)]);
    await replaceInstallations(input.db, { appId: app.appId, installations, now: new Date() });
    const overviews = await readInstallationOverviews(app, installations);
    const views: InstallationView[] = overviews.map((i) => ({
      id: i.id,
      account: i.account.login,
      accountType: i.account.type,
      selection: i.repositorySelection,
      repositories: i.repositories,
      repositoriesCut: i.repositoriesCut,
      unapproved: unapprovedPermissions(description.permissions, i.permissions),
      suspended: i.suspendedAt !== null,
      settingsUrl: settingsUrlOf(i.account, i.id),
    }));
    // A suspended installation gets no token, so it reports on nothing.
    const reach = views
      .filter((v) => !v.suspended)
      .map((v) => ({ account: v.account, selection: v.selection, repositories: v.repositories }));
    return {
      ...base,
      problem: null,
      github: {
        name: description.name,
        slug: description.slug,
        appUrl: appPageUrl(GITHUB_WEB_URL, description.slug),
        installUrl: installationUrl(GITHUB_WEB_URL, description.slug),
        permissions: description.permissions,
        installations: views,
        uncovered: uncoveredRepositories(await repositoriesWithPipelines(input.db), reach),
      },
    };
  } catch (error) {
    const status = failureStatus(error);
    logger.warn({ status, err: { name: error instanceof Error ? error.name : "Error" } }, "GitHub App overview failed");
    const problem =
      status === 401
        ? "GitHub does not accept the App's credentials (wrong App id or private key, or the App was deleted)."
        : "GitHub could not be asked about the App just now; reload the page in a moment.";
    return { ...base, github: null, problem };
  }
}
