// What every phase of the write-back benchmark stands on: the GitHub stand-in with a GitHub App of the bench's own
// installed on every account that owns one of the repositories, the tap in front of it (bench/lib/github-tap.ts),
// and the environment the product reads to act as that App through the tap: GITHUB_APP_* as a .env file holds
// them, the write-back switches (check runs, commit statuses and deployments all on) and the content budget.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { startGitHubStandIn, type RunningGitHubStandIn } from "@/github-stand-in";
import { findFreePort } from "@/lib/server/net/free-port";
import { startGitHubTap, type GitHubTap } from "./github-tap";

export const APP_ID = 340001;
const WEBHOOK_SECRET = "bench-github-webhook-secret";

export interface GitHubStack {
  standIn: RunningGitHubStandIn;
  tap: GitHubTap;
  appId: number;
  /** The App's private key, for the bench's own calls as the App (bench/lib/github-app-client.ts). */
  privateKey: string;
  /** The product's environment for a process that writes back as the App through the tap. */
  env(limits: { perMinute: number; perHour: number }): Record<string, string>;
  /** A control-plane request to the stand-in itself (never through the tap). */
  control<T>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startGitHubStack(input: { repositories: string[]; commitsFrom?: string }): Promise<GitHubStack> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const owners = [...new Set(input.repositories.map((r) => r.split("/")[0] ?? ""))].filter(Boolean);
  const standIn = await startGitHubStandIn({
    port: 0,
    repositories: input.repositories,
    ...(input.commitsFrom ? { commitsFrom: input.commitsFrom } : {}),
    apps: [
      {
        id: APP_ID,
        name: "Stageboard (bench)",
        owner: owners[0] ?? "acme",
        public: true,
        privateKey,
        webhookSecret: WEBHOOK_SECRET,
        permissions: { checks: "write", statuses: "write", deployments: "write", metadata: "read" },
        events: [],
        installations: owners.map((account) => ({ account })),
      },
    ],
  });
  const tap = await startGitHubTap(standIn.url, await findFreePort());
  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${standIn.url}/_stand-in/${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`stand-in ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    standIn,
    tap,
    appId: APP_ID,
    privateKey,
    env: (limits) => ({
      NODE_ENV: "production",
      NEXTAUTH_URL: "https://stageboard.example.com",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      GITHUB_URL: tap.url,
      GITHUB_API_URL: `${tap.url}/api/v3`,
      GITHUB_COM_STAND_IN_URL: tap.url,
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_APP_PRIVATE_KEY: privateKey.trimEnd().replaceAll("\n", "\\n"),
      GITHUB_APP_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WRITEBACK_CHECK_RUNS: "true",
      WRITEBACK_STATUSES: "true",
      WRITEBACK_DEPLOYMENTS: "true",
      WRITEBACK_CONTENT_PER_MINUTE: String(limits.perMinute),
      WRITEBACK_CONTENT_PER_HOUR: String(limits.perHour),
    }),
    control,
    async stop() {
      await tap.stop();
      await standIn.stop();
    },
  };
}
