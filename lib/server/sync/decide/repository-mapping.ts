// Which GitHub repository (and branch) a pipeline delivers, read from its source actions. Visibility
// follows the mapped repository, so a source maps only when it is known to be on the configured GitHub:
// a connection source once its connection is known to point there (a Bitbucket `acme/web-app` must never
// pass for the GitHub one), and a GitHub (version 1) source, which always means github.com, only when the
// configured GitHub is github.com (whoever registers `acme/web-app` on an Enterprise Server must not see
// github.com's `acme/web-app` pipelines).
import "server-only";
import type { PipelineDefinitionInfo } from "@/lib/server/aws/types";

export interface RepositoryMapping {
  /** Lower-cased owner/name, or null for pipelines whose source is not a repository on the configured GitHub. */
  fullName: string | null;
  owner: string | null;
  name: string | null;
  branch: string | null;
  provider: string | null;
  /** The source action the mapping came from (its revisions carry the commit). */
  sourceActionName: string | null;
  /** ConnectionArn of that source action, for connection sources. */
  connectionArn: string | null;
  /** The connection's provider (GitHub, Bitbucket, ...), null while the connection is not known. */
  connectionProvider: string | null;
}

/** What AWS said about a connection, as far as mapping needs it. */
export interface ConnectionFact {
  providerType: string;
  /** The host's ProviderEndpoint, for connections on a host (GitHub Enterprise Server). */
  providerEndpoint: string | null;
}

export interface MappingContext {
  /** The configured GitHub (GITHUB_URL); null when not known, which maps no connection source. */
  githubUrl: string | null;
  /** Whether that GitHub is github.com (see isGitHubDotCom): GitHub v1 sources and GitHub connections map only then. */
  githubIsGitHubCom: boolean;
  connection(arn: string): ConnectionFact | null;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
export const CONNECTION_PROVIDERS: ReadonlySet<string> = new Set(["CodeStarSourceConnection", "CodeConnections"]);

function repo(owner: string | undefined, name: string | undefined): { owner: string; name: string } | null {
  if (!owner || !name || !OWNER.test(owner) || !REPO.test(name) || name === "." || name === "..") return null;
  return { owner: owner.toLowerCase(), name: name.toLowerCase() };
}

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether the configured GitHub is github.com: https://github.com itself, or the local GitHub stand-in the
 * launcher runs for the demo and the end-to-end tests, which plays github.com (the sandbox's demo fleet has
 * GitHub v1 sources, and they must show under the stand-in's repositories). The stand-in says so through
 * GITHUB_COM_STAND_IN_URL rather than by being guessed from its address, and only a loopback URL can play
 * github.com, so no GitHub Enterprise Server can be made to, even by a mistaken setting.
 */
export function isGitHubDotCom(githubUrl: string | null, standInUrl: string | null): boolean {
  const configured = originOf(githubUrl);
  if (!configured) return false;
  if (configured === "https://github.com") return true;
  return standInUrl !== null && originOf(standInUrl) === configured && LOOPBACK_HOSTS.has(new URL(configured).hostname);
}

/** Whether a connection points at the configured GitHub: github.com itself, or the Enterprise Server host at that URL. */
export function connectionOnConfiguredGitHub(fact: ConnectionFact, context: MappingContext): boolean {
  const configured = originOf(context.githubUrl);
  if (!configured) return false;
  if (fact.providerType === "GitHub") return context.githubIsGitHubCom;
  if (fact.providerType === "GitHubEnterpriseServer") return originOf(fact.providerEndpoint) === configured;
  return false;
}

/**
 * The first source action that names a repository decides; later sources are never a fallback, so the
 * action chosen does not depend on what is known about connections or the configured GitHub. Without a
 * context (or with the connection unknown) no source is mapped.
 */
export function mapRepository(
  definition: Pick<PipelineDefinitionInfo, "stages">,
  context?: MappingContext,
): RepositoryMapping {
  let firstSource: { provider: string; name: string } | null = null;
  for (const stage of definition.stages) {
    const sources = stage.actions.filter((a) => a.category === "Source").sort((a, b) => a.runOrder - b.runOrder);
    for (const action of sources) {
      firstSource ??= { provider: action.provider, name: action.name };
      const config = action.configuration ?? {};
      let found: { owner: string; name: string } | null = null;
      let branch: string | undefined;
      let connectionArn: string | null = null;
      let gitHubV1 = false;
      if (action.provider === "GitHub" && action.owner === "ThirdParty") {
        found = repo(config.Owner, config.Repo);
        branch = config.Branch;
        gitHubV1 = true;
      } else if (CONNECTION_PROVIDERS.has(action.provider)) {
        const [owner, name, ...rest] = (config.FullRepositoryId ?? "").split("/");
        found = rest.length === 0 ? repo(owner, name) : null;
        branch = config.BranchName;
        connectionArn = config.ConnectionArn?.slice(0, 256) ?? "";
      }
      if (!found) continue;
      const base = { branch: branch?.slice(0, 255) ?? null, provider: action.provider, sourceActionName: action.name };
      if (gitHubV1) {
        const onGitHub = context?.githubIsGitHubCom === true;
        return {
          ...base,
          fullName: onGitHub ? `${found.owner}/${found.name}` : null,
          owner: onGitHub ? found.owner : null,
          name: onGitHub ? found.name : null,
          connectionArn: null,
          connectionProvider: null,
        };
      }
      const fact = connectionArn && context ? context.connection(connectionArn) : null;
      const onGitHub = fact !== null && context !== undefined && connectionOnConfiguredGitHub(fact, context);
      return {
        ...base,
        fullName: onGitHub ? `${found.owner}/${found.name}` : null,
        owner: onGitHub ? found.owner : null,
        name: onGitHub ? found.name : null,
        connectionArn: connectionArn || null,
        connectionProvider: fact?.providerType.slice(0, 64) ?? null,
      };
    }
  }
  return {
    fullName: null,
    owner: null,
    name: null,
    branch: null,
    provider: firstSource?.provider ?? null,
    sourceActionName: firstSource?.name ?? null,
    connectionArn: null,
    connectionProvider: null,
  };
}
