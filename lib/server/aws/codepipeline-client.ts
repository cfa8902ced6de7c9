// One cached CodePipelineClient per target. SDK retries are kept to a minimum: the sync engine's own
// budget and backoff decide when to try again, so a throttled call is not silently multiplied.
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

export interface ClientTarget {
  id: string;
  region: string;
  endpoint?: string;
  roleArn?: string;
  externalId?: string;
}

const cache = new Map<string, CodePipelineClient>();

function credentialsFor(target: ClientTarget) {
  if (target.roleArn) {
    return fromTemporaryCredentials({
      params: { RoleArn: target.roleArn, ExternalId: target.externalId, RoleSessionName: "stageboard-sync" },
      clientConfig: { region: target.region },
    });
  }
  // No role: the SDK's default chain (environment keys, profiles, SSO, container and instance roles).
  return undefined;
}

export function codePipelineClientFor(target: ClientTarget): CodePipelineClient {
  const key = JSON.stringify([target.id, target.region, target.endpoint, target.roleArn, target.externalId]);
  let client = cache.get(key);
  if (!client) {
    client = new CodePipelineClient({
      region: target.region,
      endpoint: target.endpoint,
      credentials: credentialsFor(target),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    });
    cache.set(key, client);
  }
  return client;
}

/** Drops cached clients (tests, shutdown). */
export function resetCodePipelineClients(): void {
  for (const client of cache.values()) client.destroy();
  cache.clear();
}
