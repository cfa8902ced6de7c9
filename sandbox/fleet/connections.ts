// The fleet's connections: one GitHub connection per owner (what the curated pipelines always used) and
// one Bitbucket connection per owner for synthetic repositories that live there. When the sandbox is told
// of a GitHub other than github.com, its GitHub connections are GitHub Enterprise Server connections on
// one host at that URL, as they would be in an account that uses one.
import { uuidFrom } from "../core/hash";
import type { ConnectionRecord, Env, HostRecord } from "../core/world";

export const FLEET_OWNERS = ["acme", "globex", "initech"] as const;

type Provider = "GitHub" | "Bitbucket";

export function connectionArnFor(env: Env, owner: string, provider: Provider): string {
  // The GitHub connection keeps the id every curated pipeline has always been declared with.
  const id = uuidFrom(env.seed, owner, provider === "GitHub" ? "connection" : "bitbucket-connection");
  return `arn:aws:codestar-connections:${env.region}:${env.account}:connection/${id}`;
}

function enterpriseOrigin(env: Env): string | null {
  if (!env.githubUrl) return null;
  const origin = new URL(env.githubUrl).origin;
  return origin === "https://github.com" ? null : origin;
}

export function fleetConnections(env: Env): {
  connections: Map<string, ConnectionRecord>;
  hosts: Map<string, HostRecord>;
} {
  const connections = new Map<string, ConnectionRecord>();
  const hosts = new Map<string, HostRecord>();
  const enterprise = enterpriseOrigin(env);
  let hostArn: string | undefined;
  if (enterprise) {
    hostArn = `arn:aws:codestar-connections:${env.region}:${env.account}:host/github-enterprise-${uuidFrom(env.seed, "host").slice(0, 8)}`;
    hosts.set(hostArn, {
      arn: hostArn,
      name: "github-enterprise",
      providerType: "GitHubEnterpriseServer",
      providerEndpoint: enterprise,
      status: "AVAILABLE",
    });
  }
  for (const owner of FLEET_OWNERS) {
    const github = connectionArnFor(env, owner, "GitHub");
    connections.set(
      github,
      hostArn
        ? {
            arn: github,
            name: `${owner}-github-enterprise`,
            providerType: "GitHubEnterpriseServer",
            status: "AVAILABLE",
            hostArn,
          }
        : { arn: github, name: `${owner}-github`, providerType: "GitHub", status: "AVAILABLE" },
    );
    const bitbucket = connectionArnFor(env, owner, "Bitbucket");
    connections.set(bitbucket, {
      arn: bitbucket,
      name: `${owner}-bitbucket`,
      providerType: "Bitbucket",
      status: "AVAILABLE",
    });
  }
  return { connections, hosts };
}
