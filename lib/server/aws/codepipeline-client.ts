// One cached CodePipelineClient per target (configuration shared with the target's other clients).
import "server-only";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { clientCache, resetCredentialProviders, type ClientTarget } from "./client-config";
import { resetConnectionsClients } from "./connections-client";

export type { ClientTarget } from "./client-config";

const clients = clientCache((config) => new CodePipelineClient(config));

export function codePipelineClientFor(target: ClientTarget): CodePipelineClient {
  return clients.for(target);
}

/** Drops every cached AWS client of every target (tests, shutdown). */
export function resetCodePipelineClients(): void {
  clients.reset();
  resetConnectionsClients();
  resetCredentialProviders();
}
