import "server-only";
import { createHash } from "node:crypto";
import { db as appDb } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import type { AppCredentials, CredentialsState } from "./credentials";
import { environmentCredentials } from "./env-credentials";
import { handleInstallationFailure } from "./installation-failures";
import type { ClientMode } from "./limit-decision";
import { createAppOctokit, type AppOctokitInstance } from "./octokit";
import { storedCredentials } from "./stored-credentials";
import { createTokenCache, type TokenCache } from "./token-cache";

// Which App Stageboard is (GITHUB_APP_* wins over the setup page's registration), and its clients, made once per
// App, installation and mode and then reused: their installation tokens live in one cache per App, so every client
// of an installation in this process shares one token until a minute before it expires. The configuration is read
// again after CREDENTIALS_TTL_MS, so a registration another instance stored is picked up within that.

export const CREDENTIALS_TTL_MS = 30_000;

export interface GitHubApp {
  appId: number;
  source: AppCredentials["source"];
  /** Null when neither the registration nor GITHUB_APP_SLUG says it (GET /app does). */
  slug: string | null;
  clientId: string | null;
  /** For verifying webhook deliveries; server-only, never logged. */
  webhookSecret: string | null;
  /** Authenticated as the App itself (a JWT per request): /app, installations, access tokens. */
  octokit(mode?: ClientMode): AppOctokitInstance;
  /** Authenticated as one installation of the App (its installation token). */
  installationOctokit(installationId: number, mode?: ClientMode): AppOctokitInstance;
}

interface Loaded {
  fingerprint: string;
  app: GitHubApp;
}

let memo: { at: number; state: CredentialsState } | undefined;
let loaded: Loaded | undefined;

const fingerprintOf = (credentials: AppCredentials) =>
  createHash("sha256").update(JSON.stringify(credentials)).digest("hex");

function buildApp(credentials: AppCredentials): GitHubApp {
  const tokens: TokenCache = createTokenCache();
  const clients = new Map<string, AppOctokitInstance>();
  const { appId, privateKey } = credentials;
  const memoized = (key: string, make: () => AppOctokitInstance) => {
    const existing = clients.get(key);
    if (existing) return existing;
    const made = make();
    clients.set(key, made);
    return made;
  };
  return {
    appId,
    source: credentials.source,
    slug: credentials.slug,
    clientId: credentials.clientId,
    webhookSecret: credentials.webhookSecret,
    octokit: (mode = "interactive") =>
      memoized(`app:${mode}`, () =>
        createAppOctokit({ mode, throttleId: `app-${appId}`, auth: { kind: "app", appId, privateKey, cache: tokens } }),
      ),
    installationOctokit: (installationId, mode = "interactive") =>
      memoized(`installation:${installationId}:${mode}`, () => {
        const octokit = createAppOctokit({
          mode,
          throttleId: `app-${appId}-installation-${installationId}`,
          auth: { kind: "installation", appId, privateKey, installationId, cache: tokens },
        });
        // What GitHub's refusals say about the cache (installation gone, token refused) is acted on, then the
        // error goes on to the caller unchanged.
        octokit.hook.error("request", async (error) => {
          await handleInstallationFailure(error, { db: appDb, appId, installationId, tokens });
          throw error;
        });
        return octokit;
      }),
  };
}

/** GITHUB_APP_* when set (even when unusable: it is what the operator asked for), else the stored registration. */
export async function credentialsState(now = Date.now()): Promise<CredentialsState> {
  if (memo && now - memo.at < CREDENTIALS_TTL_MS) return memo.state;
  const fromEnvironment = environmentCredentials();
  const state = fromEnvironment.kind === "not-configured" ? await storedCredentials(appDb) : fromEnvironment;
  if (state.kind === "unusable" && memo?.state.kind !== "unusable")
    logger.error({ source: state.source, reason: state.reason }, "GitHub App configured but unusable");
  memo = { at: now, state };
  return state;
}

/** The App as configured now, or null when there is none (or it is unusable: credentialsState says why). */
export async function currentApp(now = Date.now()): Promise<GitHubApp | null> {
  const state = await credentialsState(now);
  if (state.kind !== "configured") return null;
  const fingerprint = fingerprintOf(state.credentials);
  if (loaded?.fingerprint !== fingerprint) loaded = { fingerprint, app: buildApp(state.credentials) };
  return loaded.app;
}

/** After this process stored a registration: read the configuration again at once. */
export function forgetCurrentApp(): void {
  memo = undefined;
}
