// Learns which provider each connection of a target points at: one paged ListConnections (and ListHosts
// when a connection sits on a host) the first time, then again only when a pipeline uses a connection
// not listed yet, at most once per discovery interval. A provider never changes, so nothing else does.
//
// When the listing fails (most often AccessDeniedException: the role lacks ListConnections), connection
// sources stay unmapped: shown to administrators as unmapped, never to readers of a same-named GitHub
// repository. One warning per target and distinct error says which permission is missing.
import "server-only";
import { AwsCallError } from "@/lib/server/aws/errors";
import { connectionKey } from "@/lib/server/aws/connection-arn";
import type { ConnectionsApi } from "@/lib/server/aws/connections-api";
import type { ConnectionInfo, HostInfo, Page } from "@/lib/server/aws/types";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { hasUnknownConnections, remapConnectionSources } from "../store/source-connections";

export interface RefreshConnectionsInput {
  db: Db;
  logger: Logger;
  targetId: string;
  api: ConnectionsApi;
  now: number;
  /** Shortest time between two listings caused by unknown connections (the discovery interval). */
  intervalMs: number;
}

export type RefreshOutcome = "skipped" | "listed" | "failed";

const MAX_PAGES = 100;
const PERMISSIONS =
  "codeconnections:ListConnections and codestar-connections:ListConnections (ListHosts too for GitHub Enterprise Server)";

async function listAll<T>(list: (token: string | null) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await list(token);
    all.push(...result.items);
    token = result.nextToken;
    if (!token) return all;
  }
  return all;
}

async function due(input: RefreshConnectionsInput): Promise<boolean> {
  const target = await input.db.target.findUnique({
    where: { id: input.targetId },
    select: { connectionsCheckedAt: true },
  });
  if (!target) return false;
  if (!target.connectionsCheckedAt) return true;
  if (input.now - target.connectionsCheckedAt.getTime() < input.intervalMs) return false;
  return hasUnknownConnections(input.db, input.targetId);
}

async function store(
  db: Db,
  targetId: string,
  connections: ConnectionInfo[],
  hosts: Map<string, HostInfo>,
): Promise<void> {
  for (const c of connections) {
    const key = connectionKey(c.arn);
    if (!key) continue;
    const endpoint = c.hostArn ? (hosts.get(connectionKey(c.hostArn) ?? "")?.providerEndpoint ?? null) : null;
    const data = {
      arn: c.arn,
      providerType: c.providerType,
      hostArn: c.hostArn,
      providerEndpoint: endpoint,
      status: c.status,
    };
    await db.sourceConnection.upsert({
      where: { targetId_key: { targetId, key } },
      create: { targetId, key, ...data },
      update: data,
    });
  }
}

/** Lists the target's connections when due and re-maps its connection sources; never throws. */
export async function refreshConnections(input: RefreshConnectionsInput): Promise<RefreshOutcome> {
  const { db, logger, targetId } = input;
  try {
    if (!(await due(input))) return "skipped";
    const checkedAt = new Date(input.now);
    try {
      const connections = await listAll((token) => input.api.listConnections(token));
      // Hosts carry the GitHub Enterprise Server URL; a connection on a host whose listing failed is not
      // stored, so it stays unknown and is listed again later instead of being decided without its URL.
      const onHost = connections.filter((c) => c.hostArn);
      const hosts = new Map(
        (onHost.length ? await listAll((token) => input.api.listHosts(token)) : []).map((h) => [
          connectionKey(h.arn) ?? "",
          h,
        ]),
      );
      await store(db, targetId, connections, hosts);
      await db.target.update({
        where: { id: targetId },
        data: { connectionsCheckedAt: checkedAt, connectionsListedAt: checkedAt, connectionsError: null },
      });
    } catch (error) {
      const failure = error instanceof AwsCallError ? error : null;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const before = await db.target.update({
        where: { id: targetId },
        data: { connectionsCheckedAt: checkedAt },
        select: { connectionsError: true },
      });
      if (before.connectionsError !== message) {
        await db.target.update({ where: { id: targetId }, data: { connectionsError: message } });
        const hint = failure?.kind === "auth" ? `grant ${PERMISSIONS}` : "listed again at the next discovery";
        logger.warn(
          { target: targetId, operation: failure?.operation, code: failure?.code, err: error },
          `connections could not be listed; pipelines on connections stay unmapped (${hint})`,
        );
      }
      return "failed";
    }
    const changed = await remapConnectionSources(db, targetId);
    if (changed) logger.info({ target: targetId, changed }, "connection sources re-mapped");
    return "listed";
  } catch (error) {
    logger.warn({ target: targetId, err: error }, "connections could not be refreshed");
    return "failed";
  }
}
