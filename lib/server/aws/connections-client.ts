// One cached connections client per target. The npm registry carries the codestar-connections client
// only (AWS renamed the service CodeConnections); a connection's ARN may carry either service prefix,
// so connections are matched by partition, region, account and id (./connection-arn).
import { CodeStarConnectionsClient } from "@aws-sdk/client-codestar-connections";
import { clientConfigFor, clientKey, type ClientTarget } from "./client-config";

const cache = new Map<string, CodeStarConnectionsClient>();

export function connectionsClientFor(target: ClientTarget): CodeStarConnectionsClient {
  const key = clientKey(target);
  let client = cache.get(key);
  if (!client) {
    client = new CodeStarConnectionsClient(clientConfigFor(target));
    cache.set(key, client);
  }
  return client;
}

export function resetConnectionsClients(): void {
  for (const client of cache.values()) client.destroy();
  cache.clear();
}
