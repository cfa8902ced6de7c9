// Pipeline declarations as Stageboard stores them (GetPipeline's `pipeline`, secrets removed: a GitHub v1
// source's OAuthToken is dropped), in the shapes of AWS's action references and GetPipeline samples
// (shared/aws/codepipeline/FACTS.md §6.1, §1.4), for the tests of the decisions read from them.

type Config = Record<string, string>;

export const CONNECTION_ARN =
  "arn:aws:codestar-connections:us-east-1:123456789012:connection/efa17892-c190-45eb-93f1-6d88b1b58ce4";

export function connectionSource(name: string, fullRepositoryId: string, extra: Config = {}) {
  return {
    name,
    actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
    runOrder: 1,
    configuration: {
      ConnectionArn: CONNECTION_ARN,
      FullRepositoryId: fullRepositoryId,
      BranchName: "main",
      OutputArtifactFormat: "CODE_ZIP",
      ...extra,
    },
    outputArtifacts: [{ name: `${name}Artifact` }],
    inputArtifacts: [],
    namespace: "SourceVariables",
  };
}

export function gitHubV1Source(name: string, owner: string, repo: string, extra: Config = {}) {
  return {
    name,
    actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
    runOrder: 1,
    configuration: { Owner: owner, Repo: repo, Branch: "main", ...extra },
    outputArtifacts: [{ name: "SourceArtifact" }],
    inputArtifacts: [],
  };
}

export function codeCommitSource(name: string, repositoryName: string, extra: Config = {}) {
  return {
    name,
    actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
    runOrder: 1,
    configuration: { RepositoryName: repositoryName, BranchName: "mainline", ...extra },
    outputArtifacts: [{ name: "Artifact_MyWebsiteStack" }],
    inputArtifacts: [],
  };
}

export function s3Source(name: string) {
  return {
    name,
    actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
    runOrder: 1,
    configuration: { S3Bucket: "drop-bucket", S3ObjectKey: "bundle/app.zip", PollForSourceChanges: "false" },
    outputArtifacts: [{ name: "SourceArtifact" }],
  };
}

const build = {
  name: "Build",
  actions: [
    {
      name: "Build",
      actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
      runOrder: 1,
      configuration: { ProjectName: "web-app" },
      inputArtifacts: [{ name: "SourceArtifact" }],
    },
  ],
};

export function declaration(options: {
  type?: "V1" | "V2";
  sources: unknown[];
  triggers?: unknown[];
  name?: string;
}): Record<string, unknown> {
  return {
    name: options.name ?? "web-app-prod",
    roleArn: "arn:aws:iam::123456789012:role/service-role/AWSCodePipelineServiceRole-us-east-1-web-app-prod",
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-0123456789ab" },
    stages: [{ name: "Source", actions: options.sources }, build],
    version: 3,
    executionMode: "SUPERSEDED",
    pipelineType: options.type ?? "V2",
    ...(options.triggers ? { triggers: options.triggers } : {}),
  };
}

/** A V2 trigger as GetPipeline returns one (FACTS.md: PipelineTriggerDeclaration). */
export function pushTrigger(sourceActionName: string, push: unknown[] = [{ branches: { includes: ["main"] } }]) {
  return { providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName, push } };
}

export function pullRequestTrigger(sourceActionName: string) {
  return {
    providerType: "CodeStarSourceConnection",
    gitConfiguration: {
      sourceActionName,
      pullRequest: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main"] } }],
    },
  };
}
