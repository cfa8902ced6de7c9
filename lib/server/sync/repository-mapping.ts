// Which GitHub repository (and branch) a pipeline delivers, read from its source actions.
import type { PipelineDefinitionInfo } from "@/lib/server/aws/types";

export interface RepositoryMapping {
  /** Lower-cased owner/name, or null for pipelines whose source is not a GitHub repository. */
  fullName: string | null;
  owner: string | null;
  name: string | null;
  branch: string | null;
  provider: string | null;
  /** The source action the mapping came from (its revisions carry the commit). */
  sourceActionName: string | null;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

function repo(owner: string | undefined, name: string | undefined): { owner: string; name: string } | null {
  if (!owner || !name || !OWNER.test(owner) || !REPO.test(name) || name === "." || name === "..") return null;
  return { owner: owner.toLowerCase(), name: name.toLowerCase() };
}

export function mapRepository(definition: Pick<PipelineDefinitionInfo, "stages">): RepositoryMapping {
  let firstSource: { provider: string; name: string } | null = null;
  for (const stage of definition.stages) {
    const sources = stage.actions.filter((a) => a.category === "Source").sort((a, b) => a.runOrder - b.runOrder);
    for (const action of sources) {
      firstSource ??= { provider: action.provider, name: action.name };
      const config = action.configuration ?? {};
      let found: { owner: string; name: string } | null = null;
      let branch: string | undefined;
      if (action.provider === "GitHub" && action.owner === "ThirdParty") {
        found = repo(config.Owner, config.Repo);
        branch = config.Branch;
      } else if (action.provider === "CodeStarSourceConnection" || action.provider === "CodeConnections") {
        const [owner, name, ...rest] = (config.FullRepositoryId ?? "").split("/");
        found = rest.length === 0 ? repo(owner, name) : null;
        branch = config.BranchName;
      }
      if (found) {
        return {
          fullName: `${found.owner}/${found.name}`,
          owner: found.owner,
          name: found.name,
          branch: branch?.slice(0, 255) ?? null,
          provider: action.provider,
          sourceActionName: action.name,
        };
      }
    }
  }
  return { fullName: null, owner: null, name: null, branch: null, provider: firstSource?.provider ?? null, sourceActionName: firstSource?.name ?? null };
}
