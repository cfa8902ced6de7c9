// Stageboard as a GitHub App in tests: the GitHub stand-in started with one App of the test's own (its private key
// made here, the stand-in keeping only the public half), and the GITHUB_* environment the product reads to act as
// that App, written as a .env file holds it. Call `stubAppEnv` before the product's modules are imported: they read
// the environment once.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { vi } from "vitest";
import { startGitHubStandIn, type GitHubStandInOptions, type StandInAppOptions } from "@/github-stand-in";

export type TestApp = Omit<StandInAppOptions, "privateKey" | "owner" | "public"> & { id: number };

/** What write-back needs; sign-in tests narrow it. */
export const WRITEBACK_PERMISSIONS: StandInAppOptions["permissions"] = {
  checks: "write",
  statuses: "write",
  deployments: "write",
  metadata: "read",
};

export function newPrivateKey(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
}

/** The stand-in with `app` owned by acme and installable anywhere; the rest of the stand-in's options as given. */
export async function startAppStandIn(app: TestApp, options: Omit<GitHubStandInOptions, "apps" | "port"> = {}) {
  const privateKey = newPrivateKey();
  const webhookSecret = app.webhookSecret ?? "test-webhook-secret";
  const standIn = await startGitHubStandIn({
    ...options,
    port: 0,
    apps: [
      {
        permissions: WRITEBACK_PERMISSIONS,
        events: ["check_run"],
        ...app,
        owner: "acme",
        public: true,
        privateKey,
        webhookSecret,
      },
    ],
  });
  return { standIn, app: { ...app, privateKey, webhookSecret } };
}

/** GITHUB_* for the App against the stand-in, and a fresh token-sealing key; `vi.unstubAllEnvs()` undoes it. */
export function stubAppEnv(standInUrl: string, app: { id: number; privateKey: string; webhookSecret: string }) {
  vi.stubEnv("GITHUB_URL", standInUrl);
  vi.stubEnv("GITHUB_API_URL", `${standInUrl}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("GITHUB_APP_ID", String(app.id));
  // As a .env file holds it: one line, \n written out.
  vi.stubEnv("GITHUB_APP_PRIVATE_KEY", app.privateKey.trimEnd().replaceAll("\n", "\\n"));
  vi.stubEnv("GITHUB_APP_WEBHOOK_SECRET", app.webhookSecret);
}
