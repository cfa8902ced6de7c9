// One cached CodePipelineClient per target (configuration shared with the target's other clients).
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { clientConfigFor, clientKey, resetCredentialProviders, type ClientTarget } from "./client-config";
import { resetConnectionsClients } from "./connections-client";

export type { ClientTarget } from "./client-config";

const cache = new Map<string, CodePipelineClient>();

export function codePipelineClientFor(target: ClientTarget): CodePipelineClient {
  const key = clientKey(target);
  let client = cache.get(key);
  if (!client) {
    client = new CodePipelineClient(clientConfigFor(target));
    cache.set(key, client);
  }
  return client;
}

/** Drops every cached AWS client of every target (tests, shutdown). */
export function resetCodePipelineClients(): void {
  for (const client of cache.values()) client.destroy();
  cache.clear();
  resetConnectionsClients();
  resetCredentialProviders();
}
