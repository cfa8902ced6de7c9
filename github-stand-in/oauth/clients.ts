import type { StandInState } from "../state";
import type { AppRecord } from "../world/apps";
import { appRedirectAllowed, redirectUriAllowed } from "./redirect-uri";

/** Who may run the web flow: an OAuth App, or a GitHub App by its client id (App user authorization). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The GitHub App whose client id this is; null for an OAuth App. */
  app: AppRecord | null;
  /** Shown on the consent page. */
  displayName: string;
  /** The registered callback errors and a missing redirect_uri go to; null when nothing is registered. */
  registeredCallback: string | null;
  allowsRedirect(candidate: string): boolean;
}

export function findClient(state: StandInState, clientId: string | null): OAuthClient | undefined {
  if (clientId === null || clientId === "") return undefined;
  const client = state.clients.find((c) => c.clientId === clientId);
  if (client) {
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      app: null,
      displayName: client.clientId,
      registeredCallback: client.callbackUrlPrefix ?? null,
      allowsRedirect: (candidate) => redirectUriAllowed(client, candidate),
    };
  }
  const app = state.world.apps.byClientId(clientId);
  if (!app) return undefined;
  return {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    app,
    displayName: app.name,
    // "Request user authorization during installation" uses the first callback URL; so does a missing redirect_uri.
    registeredCallback: app.callbackUrls[0] ?? null,
    allowsRedirect: (candidate) => appRedirectAllowed(app.callbackUrls, candidate),
  };
}
