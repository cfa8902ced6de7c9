// One cached connections client per target. The npm registry carries the codestar-connections client
// only (AWS renamed the service CodeConnections); a connection's ARN may carry either service prefix,
// so connections are matched by partition, region, account and id (./connection-arn).
import "server-only";
import { CodeStarConnectionsClient } from "@aws-sdk/client-codestar-connections";
import { clientCache, type ClientTarget } from "./client-config";

const clients = clientCache((config) => new CodeStarConnectionsClient(config));

export function connectionsClientFor(target: ClientTarget): CodeStarConnectionsClient {
  return clients.for(target);
}

export function resetConnectionsClients(): void {
  clients.reset();
}
