// Per-target runtime: one budget (token bucket) shared by the target's APIs over its cached clients, plus
// the target's row (created from configuration) and its success/error bookkeeping for the UI's data-age display.
import "server-only";
import type { TargetConfig } from "@/lib/config/schema";
import { createCodePipelineApi, type CodePipelineApi } from "@/lib/server/aws/codepipeline-api";
import { codePipelineClientFor } from "@/lib/server/aws/codepipeline-client";
import { createConnectionsApi, type ConnectionsApi } from "@/lib/server/aws/connections-api";
import { connectionsClientFor } from "@/lib/server/aws/connections-client";
import type { AwsOperation } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import { TokenBucket } from "@/lib/server/aws/rate-limiter";
import type { SyncSettings } from "../config/settings";
import { isGitHubDotCom } from "../decide/repository-mapping";
import { remapGitHubSources } from "../store/source-connections";
import { targetId } from "../config/targets";

export interface TargetRuntime {
  id: string;
  config: TargetConfig;
  api: CodePipelineApi;
  connections: ConnectionsApi;
  bucket: TokenBucket;
  /** The live checks' share of the budget while the target backfills (see SyncSettings.backfillLiveShare). */
  liveShare: TokenBucket;
  /** The configured GitHub that sources are mapped against. */
  githubUrl: string;
  /** Whether it counts as github.com, where GitHub v1 sources live (see isGitHubDotCom). */
  githubIsGitHubCom: boolean;
  /** Epoch ms of the last event for this target (refreshed from Postgres by the engine). */
  lastEventAt: number | null;
  lastStatusWrite: number;
  throttledSince: number | null;
}

export function createTargetRuntime(
  config: TargetConfig,
  settings: SyncSettings,
  onRequest?: (target: string, op: AwsOperation) => void,
): TargetRuntime {
  const id = targetId(config);
  const bucket = new TokenBucket({ ratePerSecond: settings.requestsPerSecond });
  const clientTarget = {
    id,
    region: config.region,
    endpoint: config.endpoint,
    roleArn: config.roleArn,
    externalId: config.externalId,
    // Set here, so the connections client (another endpoint) assumes the role where the CodePipeline one does.
    stsEndpoint: config.stsEndpoint ?? config.endpoint,
  };
  const count = onRequest ? (op: AwsOperation) => onRequest(id, op) : undefined;
  const api = createCodePipelineApi(codePipelineClientFor(clientTarget), bucket, count);
  const connectionsTarget = { ...clientTarget, endpoint: config.connectionsEndpoint ?? config.endpoint };
  const connections = createConnectionsApi(connectionsClientFor(connectionsTarget), bucket, count);
  const liveShare = new TokenBucket({
    ratePerSecond: settings.requestsPerSecond * settings.backfillLiveShare,
    burst: 2,
  });
  return {
    id,
    config,
    api,
    connections,
    bucket,
    liveShare,
    githubUrl: settings.githubUrl,
    githubIsGitHubCom: isGitHubDotCom(settings.githubUrl, settings.githubComStandInUrl),
    lastEventAt: null,
    lastStatusWrite: 0,
    throttledSince: null,
  };
}

export async function ensureTargetRows(db: Db, targets: TargetRuntime[]): Promise<void> {
  for (const t of targets) {
    const before = await db.target.findUnique({
      where: { id: t.id },
      select: { githubUrl: true, githubIsGitHubCom: true },
    });
    await db.target.upsert({
      where: { id: t.id },
      // Due at once, whatever clock the engine runs on.
      create: {
        id: t.id,
        accountId: t.config.accountId ?? "",
        region: t.config.region,
        endpoint: t.config.endpoint ?? null,
        roleArn: t.config.roleArn ?? null,
        githubUrl: t.githubUrl,
        githubIsGitHubCom: t.githubIsGitHubCom,
        nextDiscoveryAt: new Date(0),
      },
      update: {
        region: t.config.region,
        endpoint: t.config.endpoint ?? null,
        roleArn: t.config.roleArn ?? null,
        githubUrl: t.githubUrl,
        githubIsGitHubCom: t.githubIsGitHubCom,
        ...(t.config.accountId ? { accountId: t.config.accountId } : {}),
      },
    });
    // Another GitHub configured (or one that counts as github.com or no longer does, or a row from before v1
    // sources depended on it): whether each source is on it is decided again for every pipeline.
    if (before && (before.githubUrl !== t.githubUrl || before.githubIsGitHubCom !== t.githubIsGitHubCom))
      await remapGitHubSources(db, t.id);
  }
}

/**
 * Success is written at most once a second per target: it only feeds the "data age" display. The throttled
 * mark is cleared once this process's budget has grown back to its full rate.
 */
export async function recordTargetSuccess(db: Db, target: TargetRuntime, now: number): Promise<void> {
  const recovered = target.bucket.rate >= target.bucket.maxRate;
  const clearThrottle = recovered && target.throttledSince !== null;
  if (now - target.lastStatusWrite < 1_000 && !clearThrottle) return;
  target.lastStatusWrite = now;
  if (recovered) target.throttledSince = null;
  await db.target.update({
    where: { id: target.id },
    data: { lastSuccessAt: new Date(now), ...(recovered ? { throttledAt: null } : {}) },
  });
}

export async function recordTargetError(
  db: Db,
  target: TargetRuntime,
  now: number,
  message: string,
  throttled: boolean,
): Promise<void> {
  if (throttled) target.throttledSince ??= now;
  await db.target.update({
    where: { id: target.id },
    data: {
      lastError: message.slice(0, 1000),
      lastErrorAt: new Date(now),
      ...(throttled ? { throttledAt: new Date(now) } : {}),
    },
  });
}

/** Learns the account id from a pipeline ARN when configuration did not give one (events are matched on it). */
export async function learnAccountId(db: Db, targetId: string, arn: string | null): Promise<void> {
  const account = arn?.split(":")[4];
  if (!account || !/^\d{12}$/.test(account)) return;
  await db.target.updateMany({ where: { id: targetId, accountId: "" }, data: { accountId: account } });
}
