import "server-only";
import type { Permissions } from "./permissions";

// The GitHub App manifest the setup page posts to GitHub (docs: "Registering a GitHub App from a manifest"), and the
// addresses of that flow. Pure: the caller passes Stageboard's public URL and GitHub's web URL.

/**
 * What write-back needs and nothing more; GitHub shows this list on the creation and install pages, and an
 * installation holds exactly what its owner approved of it.
 */
export const APP_PERMISSIONS = {
  // Check runs per pipeline execution and stage, with the Approve/Reject buttons (only Apps can create them).
  checks: "write",
  // Commit statuses, for branch protection rules and tools that read statuses rather than checks.
  statuses: "write",
  // GitHub Deployments (and their statuses) for the stages that deploy to an environment.
  deployments: "write",
  // The commits an execution or an approval covers (commits, compare) and the push events that carry them.
  contents: "read",
  // Every App has it: the repository itself, its collaborators' permission levels.
  metadata: "read",
  // The pull requests a commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls) and their events.
  pull_requests: "read",
  // Classic branch protection's required checks, for release gates in "required checks" mode (rulesets are readable
  // without it). Read only: it shows a repository's settings and changes none.
  administration: "read",
  // Organization team membership, for approvals that require a team and are clicked on GitHub: the clicker's
  // membership is read through the installation, since GitHub's buttons carry no user token.
  members: "read",
} as const satisfies Permissions;

/**
 * Webhook events the App subscribes to. `installation` and `installation_repositories` are not listed although
 * Stageboard uses them: GitHub delivers them to every App and refuses them in `default_events` ("Default events
 * unsupported: installation").
 */
export const APP_EVENTS = [
  // A person re-ran one of Stageboard's checks, or pressed one of its buttons.
  "check_run",
  // Other Apps' suites completing (releases that wait for the commit's checks), re-requested suites.
  "check_suite",
  // Other CI's commit statuses, for the same wait.
  "status",
  // New commits on a tracked branch.
  "push",
  // Pull requests opened or updated, to link executions to them.
  "pull_request",
] as const;

export interface GitHubAppManifest {
  name: string;
  url: string;
  description: string;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  callback_urls: string[];
  setup_url: string;
  setup_on_update: boolean;
  public: boolean;
  request_oauth_on_install: boolean;
  default_permissions: Permissions;
  default_events: string[];
}

const MAX_NAME = 34;

const trimSlash = (url: string) => url.replace(/\/+$/, "");

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether GitHub could deliver webhooks to Stageboard at all: not to a loopback address, unless GitHub itself runs
 * on this machine (a local stand-in or test server). An inactive webhook is still registered, so it can be turned
 * on once Stageboard has a public address; until then Stageboard reads GitHub instead of being told.
 */
export function webhookReachable(appUrl: string, githubUrl: string): boolean {
  return !isLoopback(new URL(appUrl).hostname) || isLoopback(new URL(githubUrl).hostname);
}

/** A name GitHub accepts (at most 34 characters, unique on the GitHub): "Stageboard (<host>)". */
export function defaultAppName(appUrl: string): string {
  const name = `Stageboard (${new URL(appUrl).hostname})`;
  return name.length <= MAX_NAME ? name : "Stageboard";
}

/** The manifest for a Stageboard served at `appUrl` (NEXTAUTH_URL) with GitHub at `githubUrl`. */
export function buildManifest(input: { appUrl: string; githubUrl: string }): GitHubAppManifest {
  const base = trimSlash(input.appUrl);
  return {
    name: defaultAppName(base),
    url: base,
    description: "Reports AWS CodePipeline executions to GitHub: checks, statuses and deployments.",
    hook_attributes: { url: `${base}/api/github/webhooks`, active: webhookReachable(base, input.githubUrl) },
    redirect_url: `${base}/api/github/app/manifest-callback`,
    // next-auth's callback, for signing in through the App later; GitHub allows up to ten.
    callback_urls: [`${base}/api/auth/callback/github`],
    setup_url: `${base}/settings/github-app`,
    // Back to the setup page after repositories are added or removed, so it shows the new coverage.
    setup_on_update: true,
    // Installable only on its owner's account: a self-hosted Stageboard serves one organisation.
    public: false,
    request_oauth_on_install: false,
    default_permissions: APP_PERMISSIONS,
    default_events: [...APP_EVENTS],
  };
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,33}$/;

/** The App's install page on the configured GitHub; null for a slug that is not one (never a link elsewhere). */
export function installationUrl(githubUrl: string, slug: string): string | null {
  return SLUG.test(slug) ? `${trimSlash(githubUrl)}/apps/${slug}/installations/new` : null;
}

/** The App's public page on the configured GitHub. */
export function appPageUrl(githubUrl: string, slug: string): string | null {
  return SLUG.test(slug) ? `${trimSlash(githubUrl)}/apps/${slug}` : null;
}
