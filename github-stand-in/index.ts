import type { AddressInfo } from "node:net";
import type { AppCredentials } from "./app/app-options";
import { registerConfiguredApps } from "./app/register-apps";
import type { GitHubStandInOptions } from "./options";
import { createStandInServer } from "./server";
import { createState } from "./state";

export type { GitHubStandInOptions, StandInClient, StandInTeam, StandInUser } from "./options";
export { DEFAULT_CLIENTS, DEFAULT_REPOSITORIES, DEFAULT_USERS } from "./options";
export type { Role } from "./world/permissions";
export type { AppCredentials, StandInAppInstallation, StandInAppOptions } from "./app/app-options";
export { DEMO_APP } from "./app/app-options";

export interface RunningGitHubStandIn {
  /** Origin, e.g. http://127.0.0.1:4010; the REST API is at `${url}/api/v3`. */
  url: string;
  port: number;
  /** The configured Apps' credentials, private keys included: handed out here and nowhere else. */
  apps: AppCredentials[];
  stop(): Promise<void>;
}

/** Starts a local server that answers like github.com's OAuth web flow and GitHub's REST API. */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<RunningGitHubStandIn> {
  const state = createState(options);
  const apps = registerConfiguredApps(state.world, options.apps ?? [], state.now());
  const server = createStandInServer(state);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${shownHost}:${port}`;
  state.listeningUrl = options.publicUrl?.replace(/\/+$/, "") ?? url;
  return {
    url,
    port,
    apps,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
