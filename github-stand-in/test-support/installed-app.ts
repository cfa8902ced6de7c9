// A stand-in whose state a test can reach, with GitHub Apps installed on accounts of its world, so check runs,
// statuses and deployments can be written the way an App writes them: with an installation token.
import type { AddressInfo } from "node:net";
import { generateAppKeySync } from "../app/keys";
import type { GitHubStandInOptions } from "../options";
import { createStandInServer } from "../server";
import type { StandInState } from "../state";
import { createState } from "../state";
import type { AppPermissions } from "../world/app-permissions";
import type { AppRecord } from "../world/apps";
import type { InstallationRecord } from "../world/installations";

export interface StandInWithState {
  url: string;
  state: StandInState;
  stop(): Promise<void>;
}

export async function startWithState(options: GitHubStandInOptions = {}): Promise<StandInWithState> {
  const state = createState(options);
  const server = createStandInServer(state);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.listeningUrl = url;
  return {
    url,
    state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export interface InstalledApp {
  app: AppRecord;
  installation: InstallationRecord;
  /** PKCS#1 PEM, as GitHub hands it out, for @octokit/auth-app. */
  privateKeyPem: string;
  /** A fresh installation token (`ghs_…`) with the installation's permissions. */
  token(): string;
}

/** Registers an App with these permissions and installs it on every repository of `account`. */
export function installApp(
  state: StandInState,
  input: { name: string; account: string; permissions: AppPermissions },
): InstalledApp {
  const keys = generateAppKeySync();
  const owner = state.world.account(input.account);
  if (!owner) throw new Error(`no account ${input.account}`);
  const at = new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const registered = state.world.apps.register({
    name: input.name,
    description: null,
    owner,
    webhookSecret: null,
    webhookUrl: null,
    webhookActive: false,
    url: "https://stageboard.example/app",
    callbackUrls: [],
    setupUrl: null,
    public: false,
    permissions: input.permissions,
    events: ["check_run"],
    expiringUserTokens: true,
    publicKey: keys.publicKey,
    createdAt: at,
    updatedAt: at,
  });
  if (registered.kind !== "registered") throw new Error(registered.reason);
  const { app } = registered;
  const { installation } = state.world.installations.install({ app, account: owner, repositories: "all", at });
  const token = () =>
    state.tokens.issueInstallation(
      { installationId: installation.id, appId: app.id, permissions: installation.permissions, repositoryIds: null },
      state.now(),
    ).token;
  return { app, installation, privateKeyPem: keys.privateKeyPem, token };
}
