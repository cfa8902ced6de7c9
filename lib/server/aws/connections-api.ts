// The only place that calls the connections service: through the target's budget, like CodePipeline
// calls, and returning our own shapes. Everything it returns is bounded and typed here.
import "server-only";
import {
  type CodeStarConnectionsClient,
  ListConnectionsCommand,
  ListHostsCommand,
} from "@aws-sdk/client-codestar-connections";
import type { RequestBudget } from "./rate-limiter";
import { budgetedCall } from "./budgeted-call";
import { connectionKey } from "./connection-arn";
import { str } from "./text";
import type { AwsOperation, ConnectionInfo, HostInfo, Page } from "./types";

export interface ConnectionsApi {
  listConnections(nextToken?: string | null): Promise<Page<ConnectionInfo>>;
  listHosts(nextToken?: string | null): Promise<Page<HostInfo>>;
}

const PROVIDER = /^[A-Za-z0-9]{1,64}$/;

function mapConnection(c: {
  ConnectionArn?: string;
  ProviderType?: string;
  HostArn?: string;
  ConnectionStatus?: string;
}): ConnectionInfo | null {
  const arn = str(c.ConnectionArn, 256);
  const providerType = str(c.ProviderType, 64);
  if (!connectionKey(arn) || !arn || !providerType || !PROVIDER.test(providerType)) return null;
  const hostArn = str(c.HostArn, 256);
  return { arn, providerType, hostArn: connectionKey(hostArn) ? hostArn : null, status: str(c.ConnectionStatus, 32) };
}

function mapHost(h: { HostArn?: string; ProviderType?: string; ProviderEndpoint?: string }): HostInfo | null {
  const arn = str(h.HostArn, 256);
  const providerType = str(h.ProviderType, 64);
  if (!connectionKey(arn) || !arn || !providerType || !PROVIDER.test(providerType)) return null;
  return { arn, providerType, providerEndpoint: str(h.ProviderEndpoint, 512) };
}

export function createConnectionsApi(
  client: CodeStarConnectionsClient,
  budget: RequestBudget,
  onRequest?: (operation: AwsOperation) => void,
): ConnectionsApi {
  const call = budgetedCall(budget, onRequest);
  const token = (value: unknown) => str(value, 1024);
  const compact = <A, B>(items: A[] | undefined, map: (item: A) => B | null): B[] =>
    (items ?? []).flatMap((item) => map(item) ?? []);
  return {
    listConnections: (nextToken) =>
      call("ListConnections", async () => {
        const out = await client.send(
          new ListConnectionsCommand({ MaxResults: 100, NextToken: nextToken ?? undefined }),
        );
        return { items: compact(out.Connections, mapConnection), nextToken: token(out.NextToken) };
      }),
    listHosts: (nextToken) =>
      call("ListHosts", async () => {
        const out = await client.send(new ListHostsCommand({ MaxResults: 100, NextToken: nextToken ?? undefined }));
        return { items: compact(out.Hosts, mapHost), nextToken: token(out.NextToken) };
      }),
  };
}
