// Source revisions in the formats the real service uses per provider (GitHub v1: plain message and the
// api.github.com commit URL; connections: a JSON summary and the console redirect URL; CodeCommit; S3).
import type { ActionDeclaration, PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import type { Revision } from "../core/types";
import type { World } from "../core/world";

export interface Commit {
  sha: string;
  message: string;
  createdMs: number;
}

export function sourceActions(decl: PipelineDeclaration): ActionDeclaration[] {
  return (decl.stages ?? []).flatMap((s) => (s.actions ?? []).filter((a) => a.actionTypeId?.category === "Source"));
}

export function revisionFor(world: World, source: ActionDeclaration, commit: Commit): Revision {
  const region = world.env.region;
  const cfg = source.configuration ?? {};
  const provider = source.actionTypeId?.provider ?? "";
  const base = {
    actionName: source.name ?? "Source",
    artifactName: source.outputArtifacts?.[0]?.name ?? "SourceArtifact",
    revisionId: commit.sha,
    changeId: (commit.createdMs / 1000).toFixed(3),
    createdMs: commit.createdMs,
  };
  if (provider === "GitHub") {
    const owner = encodeURIComponent(cfg.Owner ?? "");
    const repo = encodeURIComponent(cfg.Repo ?? "");
    return {
      ...base,
      summary: commit.message,
      url: `https://api.github.com/repos/${owner}/${repo}/git/commits/${commit.sha}`,
    };
  }
  if (provider === "CodeStarSourceConnection") {
    const params = `connectionArn=${cfg.ConnectionArn ?? ""}&referenceType=COMMIT&FullRepositoryId=${cfg.FullRepositoryId ?? ""}&Commit=${commit.sha}`;
    return {
      ...base,
      // The summary names the provider of the connection the source uses (Bitbucket, GitHub Enterprise Server, ...).
      summary: JSON.stringify({
        ProviderType: world.connections.get(cfg.ConnectionArn ?? "")?.providerType ?? "GitHub",
        CommitMessage: commit.message,
      }),
      url: `https://${region}.console.aws.amazon.com/codesuite/settings/connections/redirect?${params}`,
    };
  }
  if (provider === "CodeCommit") {
    const repo = encodeURIComponent(cfg.RepositoryName ?? "");
    return {
      ...base,
      summary: commit.message,
      url: `https://console.aws.amazon.com/codecommit/home?region=${region}#/repository/${repo}/commit/${commit.sha}`,
    };
  }
  // S3 sources carry an object version id, not a commit.
  const versionId = commit.sha.slice(0, 32);
  return {
    ...base,
    revisionId: versionId,
    summary: `Amazon S3 version id: ${versionId}`,
    url: `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(cfg.S3Bucket ?? "")}?region=${region}&prefix=${encodeURIComponent(cfg.S3ObjectKey ?? "")}`,
  };
}

/** The branch URL a source action shows as `entityUrl` in GetPipelineState. */
export function entityUrlFor(region: string, source: ActionDeclaration): string | undefined {
  const cfg = source.configuration ?? {};
  switch (source.actionTypeId?.provider) {
    case "GitHub":
      return `https://github.com/${encodeURIComponent(cfg.Owner ?? "")}/${encodeURIComponent(cfg.Repo ?? "")}/tree/${encodeURIComponent(cfg.Branch ?? "")}`;
    case "CodeStarSourceConnection":
      return `https://${region}.console.aws.amazon.com/codesuite/settings/connections/redirect?connectionArn=${cfg.ConnectionArn ?? ""}&referenceType=BRANCH&FullRepositoryId=${cfg.FullRepositoryId ?? ""}&Branch=${cfg.BranchName ?? ""}`;
    case "CodeCommit":
      return `https://console.aws.amazon.com/codecommit/home?region=${region}#/repository/${encodeURIComponent(cfg.RepositoryName ?? "")}/browse/${encodeURIComponent(cfg.BranchName ?? "")}/--/`;
    default:
      return undefined;
  }
}

/** Repository `owner/repo` on GitHub, if the source is GitHub. */
export function githubRepoOf(source: ActionDeclaration): string | undefined {
  const cfg = source.configuration ?? {};
  if (source.actionTypeId?.provider === "GitHub" && cfg.Owner && cfg.Repo) return `${cfg.Owner}/${cfg.Repo}`;
  if (source.actionTypeId?.provider === "CodeStarSourceConnection" && cfg.FullRepositoryId) return cfg.FullRepositoryId;
  return undefined;
}
