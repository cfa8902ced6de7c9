// The CodePipeline client commands are sent with (approvals, retries, stops, starts, transitions,
// rollbacks, condition overrides), apart from the sync engine's:
// - its identity: the target's `controlRoleArn` assumed through STS when set, so the sync engine's
//   `roleArn` can stay read-only; else the target's ordinary credentials (its `roleArn`, or the default chain);
// - its retries: a person is waiting, and nothing else will try again for them, so throttling and transient
//   failures are retried as the SDK does (adaptive), within a bounded number of attempts and a timeout;
// - its budget: none of the sync engine's token bucket, so a command never waits behind a backfill and
//   never slows the sync down.
import "server-only";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/server/api/errors";
import { targetsFromEnv, type ResolvedTarget } from "@/lib/server/sync/config/targets";
import { clientCache, type ClientTarget } from "./client-config";

/** Three attempts of at most 10 s each: a throttled command is retried, and a person is answered within ~35 s. */
export const CONTROL_RETRY = {
  maxAttempts: 3,
  retryMode: "adaptive",
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
} as const;

const clients = clientCache((config) => new CodePipelineClient({ ...config, ...CONTROL_RETRY }));

/** Who commands are sent as for one configured target. */
export function controlIdentity(target: ResolvedTarget): ClientTarget {
  const role = target.controlRoleArn ?? target.roleArn;
  return {
    // Its own cache key: the sync engine's client for the same target keeps its own (unretried) configuration.
    id: `${target.id}#control`,
    region: target.region,
    endpoint: target.endpoint,
    roleArn: role,
    externalId: role ? target.externalId : undefined,
    stsEndpoint: target.stsEndpoint ?? target.endpoint,
    sessionName: target.controlRoleArn ? "stageboard-control" : "stageboard-sync",
  };
}

function configuredTarget(targetId: string): ResolvedTarget {
  const target = targetsFromEnv(env).find((t) => t.id === targetId);
  if (!target)
    throw new ApiError({
      code: "service_unavailable",
      message: `This pipeline's AWS account (target "${targetId}") is no longer configured in Stageboard.`,
    });
  return target;
}

/** A client for commands on a pipeline of `targetId`; credentials are resolved (a role assumed) on its first send. */
export async function controlClientFor(targetId: string): Promise<CodePipelineClient> {
  return Promise.resolve(clients.for(controlIdentity(configuredTarget(targetId))));
}

/** Drops every cached command client (tests, shutdown). */
export function resetControlClients(): void {
  clients.reset();
}
