import type { PermissionLevel } from "../world/app-permissions";

export interface StandInAppInstallation {
  /** The account's login: a user or an organization. */
  account: string;
  /** Repository names within the account; absent installs on all of them. */
  repositories?: string[];
  /** What the account granted, when it differs from what the App asks for (an installation not yet approved). */
  permissions?: Record<string, PermissionLevel>;
  id?: number;
}

/** A GitHub App that exists from the start. */
export interface StandInAppOptions {
  id?: number;
  name: string;
  slug?: string;
  /** The owning account's login (a user or an organization). */
  owner: string;
  description?: string;
  /** The homepage; default http://localhost:3000. */
  url?: string;
  clientId?: string;
  clientSecret?: string;
  webhookSecret?: string | null;
  webhookUrl?: string | null;
  callbackUrls?: string[];
  setupUrl?: string | null;
  /** A private App (the default) can only be installed on its owner's account. */
  public?: boolean;
  permissions?: Record<string, PermissionLevel>;
  events?: string[];
  /** Default true, as for new GitHub Apps: user tokens last 8 hours and come with refresh tokens. */
  expiringUserTokens?: boolean;
  /** A PEM private key the caller already has; the stand-in keeps only its public half. */
  privateKey?: string;
  /** Read when the file exists; otherwise a new key is generated and written there (mode 600), never printed. */
  privateKeyFile?: string;
  installations?: StandInAppInstallation[];
}

/** What a configured App's owner needs to use it; the only place the stand-in hands out a private key. */
export interface AppCredentials {
  id: number;
  slug: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string | null;
  privateKey: string;
  installations: { id: number; account: string }[];
}

/**
 * A fixed App for the local demo (`--demo-app <key file>`), so the app can be wired to it without any clicking: the
 * ids and secrets never change and the key is generated once into the file. It asks for what Stageboard's GitHub
 * write-back uses and is installed on acme and globex.
 */
export const DEMO_APP: StandInAppOptions = {
  id: 300001,
  name: "Stageboard (dev)",
  slug: "stageboard-dev",
  owner: "acme",
  description: "Reports CodePipeline to GitHub (local demo)",
  url: "http://localhost:3000",
  clientId: "Iv23liStageboardDev0",
  clientSecret: "stageboard-dev-app-secret",
  webhookSecret: "stageboard-dev-webhook-secret",
  public: true,
  permissions: {
    checks: "write",
    statuses: "write",
    deployments: "write",
    contents: "read",
    metadata: "read",
    pull_requests: "read",
    administration: "read",
    members: "read",
  },
  events: ["check_run", "check_suite", "status", "push", "pull_request"],
  installations: [
    { id: 500001, account: "acme" },
    { id: 500002, account: "globex" },
  ],
};
