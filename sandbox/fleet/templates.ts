// Turns a fleet spec into a realistic PipelineDeclaration (the same JSON a CreatePipeline call would carry).
import type { ActionDeclaration, PipelineDeclaration, StageDeclaration } from "@aws-sdk/client-codepipeline";
import { uuidFrom } from "../core/hash";
import type { PipelineSpec } from "./catalog";
import { connectionArnFor } from "./connections";

import type { Env } from "../core/world";

type Kind = "build" | "test" | "codedeploy" | "ecs" | "lambda" | "approval";

function action(
  env: Env,
  spec: PipelineSpec,
  name: string,
  kind: Kind,
  runOrder: number,
  input: string,
  output?: string,
): ActionDeclaration {
  const base = {
    name,
    runOrder,
    inputArtifacts: [{ name: input }],
    ...(output ? { outputArtifacts: [{ name: output }] } : {}),
  };
  switch (kind) {
    case "build":
    case "test":
      return {
        ...base,
        actionTypeId: {
          category: kind === "build" ? "Build" : "Test",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
        },
        configuration: { ProjectName: `${spec.name}-${name.toLowerCase()}` },
      };
    case "codedeploy":
      return {
        ...base,
        actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeploy", version: "1" },
        configuration: { ApplicationName: spec.name, DeploymentGroupName: `${spec.name}-${name.toLowerCase()}` },
      };
    case "ecs":
      return {
        ...base,
        actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" },
        configuration: { ClusterName: "main", ServiceName: spec.name, FileName: "imagedefinitions.json" },
      };
    case "lambda":
      return {
        ...base,
        actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
        configuration: { FunctionName: `${spec.name}-deployer` },
      };
    case "approval":
      return {
        name,
        runOrder,
        actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
        configuration: {
          NotificationArn: `arn:aws:sns:${env.region}:${env.account}:release-approvals`,
          CustomData: `Approve ${spec.name} for production`,
          // Untrusted like every string from AWS: one pipeline links somewhere no page may follow.
          ExternalEntityLink:
            spec.name === "billing-api"
              ? "javascript:alert(document.cookie)"
              : `https://${spec.name}.staging.example.com/`,
        },
        ...(spec.approvalTimeoutMinutes ? { timeoutInMinutes: spec.approvalTimeoutMinutes } : {}),
      };
  }
}

function sourceStage(env: Env, spec: PipelineSpec): StageDeclaration {
  const [owner = "acme", repo = spec.name] = (spec.repo ?? "").split("/");
  const out = [{ name: "SourceArtifact" }];
  switch (spec.source) {
    case "github-v1":
      return {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: out,
            actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
            configuration: {
              Owner: owner,
              Repo: repo,
              Branch: spec.branch,
              OAuthToken: `ghp_${uuidFrom(env.seed, spec.name, "oauth").replace(/-/g, "")}`,
              PollForSourceChanges: "false",
            },
          },
        ],
      };
    case "connection":
      return {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: out,
            namespace: "SourceVariables",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            configuration: {
              ConnectionArn: connectionArnFor(env, owner, spec.connectionProvider ?? "GitHub"),
              FullRepositoryId: `${owner}/${repo}`,
              BranchName: spec.branch,
              OutputArtifactFormat: "CODE_ZIP",
              DetectChanges: "true",
            },
          },
        ],
      };
    case "s3":
      return {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: out,
            actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
            configuration: {
              S3Bucket: `${spec.name}-drop`,
              S3ObjectKey: "bundle/app.zip",
              PollForSourceChanges: "false",
            },
          },
        ],
      };
    case "codecommit":
      return {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: out,
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
            configuration: { RepositoryName: spec.name, BranchName: spec.branch, PollForSourceChanges: "false" },
          },
        ],
      };
  }
}

function stagesFor(env: Env, spec: PipelineSpec): StageDeclaration[] {
  const a = (name: string, kind: Kind, runOrder: number, input = "BuildArtifact", output?: string) =>
    action(env, spec, name, kind, runOrder, input, output);
  const build: StageDeclaration = {
    name: "Build",
    actions: [a("Build", "build", 1, "SourceArtifact", "BuildArtifact")],
  };
  const v2 = spec.type === "V2";
  switch (spec.template) {
    case "build":
      return [build];
    case "build-deploy":
      return [build, { name: "Deploy", actions: [a("DeployService", "ecs", 1)] }];
    case "lambda":
      return [build, { name: "Deploy", actions: [a("UpdateFunction", "lambda", 1)] }];
    case "codedeploy":
      return [
        build,
        { name: "Test", actions: [a("IntegrationTests", "test", 1)] },
        { name: "Deploy", actions: [a("DeployFleet", "codedeploy", 1)] },
      ];
    case "ecs-approval":
      return [
        {
          name: "Build",
          actions: [
            a("Build", "build", 1, "SourceArtifact", "BuildArtifact"),
            a("UnitTests", "test", 1, "SourceArtifact"),
          ],
        },
        { name: "Approval", actions: [a("ManualApproval", "approval", 1)] },
        { name: "Deploy", actions: [a("DeployService", "ecs", 1)] },
      ];
    case "full":
      return [
        {
          name: "Build",
          actions: [
            a("Build", "build", 1, "SourceArtifact", "BuildArtifact"),
            a("UnitTests", "test", 1, "SourceArtifact"),
            a("Lint", "test", 1, "SourceArtifact"),
            a("Package", "build", 2, "BuildArtifact", "PackageArtifact"),
          ],
        },
        {
          name: "Staging",
          actions: [a("DeployStaging", "codedeploy", 1, "PackageArtifact"), a("SmokeTests", "test", 2)],
          ...(v2 ? { onFailure: { result: "RETRY", retryConfiguration: { retryMode: "FAILED_ACTIONS" } } } : {}),
        },
        { name: "Approval", actions: [a("ManualApproval", "approval", 1)] },
        {
          name: "Production",
          actions: [a("DeployUsEast", "ecs", 1, "PackageArtifact"), a("DeployEuWest", "ecs", 1, "PackageArtifact")],
          ...(v2
            ? {
                beforeEntry: {
                  conditions: [
                    {
                      result: "FAIL",
                      rules: [
                        {
                          name: "NoActiveAlarms",
                          ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
                          configuration: { AlarmNames: `${spec.name}-5xx`, AlarmStates: "ALARM", WaitTime: "1" },
                        },
                      ],
                    },
                  ],
                },
                onFailure: { result: "ROLLBACK" },
              }
            : {}),
        },
        { name: "Verify", actions: [a("PostDeployCheck", "lambda", 1)] },
      ];
  }
}

export function declarationFor(env: Env, spec: PipelineSpec): PipelineDeclaration {
  const v2 = spec.type === "V2";
  const source = sourceStage(env, spec);
  return {
    name: spec.name,
    roleArn:
      `arn:aws:iam::${env.account}:role/service-role/AWSCodePipelineServiceRole-${env.region}-${spec.name}`.slice(
        0,
        1024,
      ),
    artifactStore: { type: "S3", location: `codepipeline-${env.region}-${uuidFrom(env.seed, "bucket").slice(0, 12)}` },
    stages: [source, ...stagesFor(env, spec)],
    version: 1,
    executionMode: spec.mode,
    pipelineType: spec.type,
    ...(v2
      ? {
          variables: [
            {
              name: "DEPLOY_ENV",
              defaultValue: spec.name.endsWith("staging") ? "staging" : "production",
              description: "Target environment",
            },
          ],
        }
      : {}),
    ...(v2 && spec.source === "connection"
      ? {
          triggers: [
            {
              providerType: "CodeStarSourceConnection",
              gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: [spec.branch] } }] },
            },
          ],
        }
      : {}),
  };
}
