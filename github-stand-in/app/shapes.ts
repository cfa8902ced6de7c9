import { apiUrl, isoTime, nodeId } from "../shapes/urls";
import { simpleUser } from "../shapes/user";
import type { AppRecord } from "../world/apps";
import type { InstallationRecord } from "../world/installations";
import type { InstallationTokenRecord } from "../world/tokens";

export function appHtmlUrl(app: AppRecord, base: string): string {
  return `${base}/apps/${app.slug}`;
}

/** `integration`: GitHub's App object, as GET /app and the manifest conversion answer it. */
export function integration(
  app: AppRecord,
  base: string,
  extra: { installationsCount?: number } = {},
): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: app.clientId,
    owner: simpleUser(app.owner, base),
    name: app.name,
    description: app.description,
    external_url: app.url,
    html_url: appHtmlUrl(app, base),
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: app.permissions,
    events: app.events,
    ...(extra.installationsCount === undefined ? {} : { installations_count: extra.installationsCount }),
  };
}

/** `installation`, as the App and the users who can reach it see it. */
export function installationShape(
  installation: InstallationRecord,
  app: AppRecord,
  base: string,
): Record<string, unknown> {
  const { account } = installation;
  const settings =
    account.type === "Organization"
      ? `${base}/organizations/${account.login}/settings/installations/${installation.id}`
      : `${base}/settings/installations/${installation.id}`;
  return {
    id: installation.id,
    client_id: app.clientId,
    account: simpleUser(account, base),
    repository_selection: installation.repositorySelection,
    access_tokens_url: apiUrl(base, `/app/installations/${installation.id}/access_tokens`),
    repositories_url: apiUrl(base, "/installation/repositories"),
    html_url: settings,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: installation.permissions,
    events: installation.events,
    created_at: installation.createdAt,
    updated_at: installation.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** `installation-token`; `repositories` only when the request named some, as GitHub leaves it out otherwise. */
export function installationTokenShape(
  token: InstallationTokenRecord,
  selection: "all" | "selected",
  repositories: Record<string, unknown>[] | null,
): Record<string, unknown> {
  return {
    token: token.token,
    expires_at: isoTime(token.expiresAt),
    permissions: token.permissions,
    repository_selection: selection,
    ...(repositories ? { repositories } : {}),
  };
}
