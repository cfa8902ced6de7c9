// What every AWS client of one target shares: region, endpoint and one credential provider, so an
// assumed role is assumed once per target, not once per service. SDK retries are kept to a minimum:
// the sync engine's own budget and backoff decide when to try again, so a throttled call is not
// silently multiplied.
import "server-only";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

export interface ClientTarget {
  id: string;
  region: string;
  endpoint?: string;
  roleArn?: string;
  externalId?: string;
  /** Where `roleArn` is assumed; default `endpoint` (the sandbox serves STS), else AWS's regional STS. */
  stsEndpoint?: string;
  /** The assumed role's session name, which CloudTrail shows (default "stageboard-sync"). */
  sessionName?: string;
}

type Credentials = ReturnType<typeof fromTemporaryCredentials>;

const credentialCache = new Map<string, Credentials>();

export function clientKey(target: ClientTarget): string {
  return JSON.stringify([
    target.id,
    target.region,
    target.endpoint,
    target.roleArn,
    target.externalId,
    target.stsEndpoint,
    target.sessionName,
  ]);
}

function credentialsFor(target: ClientTarget): Credentials | undefined {
  // No role: the SDK's default chain (environment keys, profiles, SSO, container and instance roles).
  if (!target.roleArn) return undefined;
  const key = clientKey(target);
  let provider = credentialCache.get(key);
  if (!provider) {
    provider = fromTemporaryCredentials({
      params: {
        RoleArn: target.roleArn,
        ExternalId: target.externalId,
        RoleSessionName: target.sessionName ?? "stageboard-sync",
      },
      clientConfig: { region: target.region, endpoint: target.stsEndpoint ?? target.endpoint },
    });
    credentialCache.set(key, provider);
  }
  return provider;
}

export function clientConfigFor(target: ClientTarget) {
  return {
    region: target.region,
    endpoint: target.endpoint,
    credentials: credentialsFor(target),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  };
}

/** One client per target for one AWS service, created on first use and destroyed together. */
export function clientCache<C extends { destroy(): void }>(create: (config: ReturnType<typeof clientConfigFor>) => C) {
  const cache = new Map<string, C>();
  return {
    for(target: ClientTarget): C {
      const key = clientKey(target);
      let client = cache.get(key);
      if (!client) {
        client = create(clientConfigFor(target));
        cache.set(key, client);
      }
      return client;
    },
    reset(): void {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}

export function resetCredentialProviders(): void {
  credentialCache.clear();
}
