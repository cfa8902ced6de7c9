import "server-only";

/** Everything Stageboard needs to act as its GitHub App. Server-only: never sent to a browser, never logged. */
export interface AppCredentials {
  /** GITHUB_APP_* (wins), or the registration made on the setup page. */
  source: "environment" | "database";
  appId: number;
  privateKey: string;
  webhookSecret: string | null;
  clientId: string | null;
  clientSecret: string | null;
  /** Known from the registration or GITHUB_APP_SLUG; otherwise read from GET /app. */
  slug: string | null;
}

export type CredentialsState =
  | { kind: "not-configured" }
  | { kind: "configured"; credentials: AppCredentials }
  /** Configured, but unusable as it stands: `reason` is safe to show an administrator (no secret in it). */
  | { kind: "unusable"; source: AppCredentials["source"]; reason: string };
