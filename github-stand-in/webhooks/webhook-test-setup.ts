// A stand-in with GitHub Apps whose webhooks point at real receivers, for the webhook tests.
import { registerConfiguredApps } from "../app/register-apps";
import type { StandInAppOptions } from "../app/app-options";
import type { GitHubStandInOptions } from "../options";
import type { StandInWithState } from "../test-support/installed-app";
import { startWithState } from "../test-support/installed-app";
import { appJwt } from "../test-support/app-client";
import type { TestReceiver } from "./test-receiver";
import { startReceiver } from "./test-receiver";

export interface WebhookApp {
  id: number;
  slug: string;
  installationId: number;
  receiver: TestReceiver;
  /** A fresh installation token. */
  token(): string;
  /** GitHub's REST API as the App itself (JWT). */
  asApp(path: string, init?: RequestInit): Promise<Response>;
  /** As the installation. */
  asInstallation(path: string, init?: RequestInit): Promise<Response>;
}

export interface WebhookWorld {
  standIn: StandInWithState;
  apps: WebhookApp[];
  control(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export const ALL_EVENTS = ["push", "check_run", "check_suite", "status"];

export async function startWebhookWorld(
  apps: (Partial<StandInAppOptions> & { name: string })[],
  options: GitHubStandInOptions = {},
): Promise<WebhookWorld> {
  const standIn = await startWithState(options);
  const started: WebhookApp[] = [];
  for (const input of apps) {
    const secret = `${input.name}-secret`;
    const receiver = await startReceiver(secret);
    const [credentials] = registerConfiguredApps(
      standIn.state.world,
      [
        {
          owner: "acme",
          webhookSecret: secret,
          webhookUrl: receiver.url,
          permissions: { checks: "write", statuses: "write", contents: "read" },
          events: ALL_EVENTS,
          installations: [{ account: "acme" }],
          ...input,
        },
      ],
      standIn.state.now(),
    );
    if (!credentials) throw new Error("no App registered");
    const installationId = credentials.installations[0]?.id ?? 0;
    const installation = standIn.state.world.installations.byId(installationId);
    const token = () =>
      standIn.state.tokens.issueInstallation(
        {
          installationId,
          appId: credentials.id,
          permissions: installation?.permissions ?? {},
          repositoryIds: null,
        },
        standIn.state.now(),
      ).token;
    const call =
      (authorization: () => string) =>
      (path: string, init: RequestInit = {}) =>
        fetch(`${standIn.url}/api/v3${path}`, {
          ...init,
          headers: {
            authorization: authorization(),
            accept: "application/vnd.github+json",
            "content-type": "application/json",
          },
        });
    started.push({
      id: credentials.id,
      slug: credentials.slug,
      installationId,
      receiver,
      token,
      asApp: call(() => `Bearer ${appJwt(credentials.privateKey, credentials.id, standIn.state.now())}`),
      asInstallation: call(() => `token ${token()}`),
    });
  }
  return {
    standIn,
    apps: started,
    control: async (path, body) => {
      const response = await fetch(`${standIn.url}/_stand-in${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      await Promise.all(started.map((a) => a.receiver.stop()));
      await standIn.stop();
    },
  };
}
