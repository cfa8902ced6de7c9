// StartPipelineExecution's source revision overrides, through the real SDK: applied where AWS applies them,
// refused with a ValidationException (and no execution) where it cannot.
import {
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
  type PipelineDeclaration,
  type SourceRevisionOverride,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, harness, pipeline, type Harness } from "./testing/harness";

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors()).toEqual([]);
});

type Action = NonNullable<NonNullable<PipelineDeclaration["stages"]>[number]["actions"]>[number];
const SHA = "3e9d1c0b7a5f48e2d6c4b1a09f8e7d6c5b4a3f21";

const sources: Record<string, Action> = {
  connection: {
    name: "Source",
    actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
    outputArtifacts: [{ name: "Src" }],
    configuration: {
      ConnectionArn: "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc",
      FullRepositoryId: "acme/test",
      BranchName: "main",
    },
  },
  githubV1: {
    name: "Source",
    actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
    outputArtifacts: [{ name: "Src" }],
    configuration: { Owner: "acme", Repo: "test", Branch: "main", OAuthToken: "****", PollForSourceChanges: "false" },
  },
  codecommit: {
    name: "Source",
    actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
    outputArtifacts: [{ name: "Src" }],
    configuration: { RepositoryName: "test", BranchName: "main", PollForSourceChanges: "false" },
  },
  s3: {
    name: "Source",
    actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
    outputArtifacts: [{ name: "Src" }],
    configuration: { S3Bucket: "drop", S3ObjectKey: "app.zip", PollForSourceChanges: "false" },
  },
};

async function create(source: Action, type: "V1" | "V2") {
  const name = `overrides-${++n}`;
  const decl = pipeline(name, [{ name: "Build", actions: [build("Build")] }], { pipelineType: type });
  const [first, ...rest] = decl.stages ?? [];
  await h.client.send(
    new CreatePipelineCommand({
      pipeline: { ...decl, stages: [{ ...first, name: "Source", actions: [source] }, ...rest] },
    }),
  );
  await h.advance(3_600_000);
  return name;
}

const startsOf = async (name: string) =>
  ((await h.client.send(new ListPipelineExecutionsCommand({ pipelineName: name }))).pipelineExecutionSummaries ?? [])
    .length;

const start = (name: string, override: Partial<SourceRevisionOverride>) =>
  h.client.send(
    new StartPipelineExecutionCommand({
      name,
      sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: SHA, ...override }],
    }),
  );

describe("source revision overrides", () => {
  it.each([
    { source: "connection", type: "V2" as const },
    { source: "codecommit", type: "V2" as const },
  ])("a commit is started on a $source source of a $type pipeline", async ({ source, type }) => {
    const name = await create(sources[source] as Action, type);
    const { pipelineExecutionId } = await start(name, {});
    const { pipelineExecution } = await h.client.send(
      new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId }),
    );
    expect(pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(SHA);
  });

  it.each([
    {
      what: "a commit",
      source: "githubV1",
      type: "V2" as const,
      override: {},
      message: "Source revision type 'COMMIT_ID' is not supported for action 'Source' with provider 'GitHub'.",
    },
    {
      what: "a commit",
      source: "connection",
      type: "V1" as const,
      override: {},
      message:
        "Source revision overrides are supported only for pipelines of type V2; pipeline '{name}' is of type V1.",
    },
    {
      what: "a commit",
      source: "githubV1",
      type: "V1" as const,
      override: {},
      message:
        "Source revision overrides are supported only for pipelines of type V2; pipeline '{name}' is of type V1.",
    },
    {
      what: "an image digest",
      source: "connection",
      type: "V2" as const,
      override: { revisionType: "IMAGE_DIGEST" as const, revisionValue: "sha256:abc" },
      message:
        "Source revision type 'IMAGE_DIGEST' is not supported for action 'Source' with provider 'CodeStarSourceConnection'.",
    },
    {
      what: "an S3 object key",
      source: "s3",
      type: "V2" as const,
      override: { revisionType: "S3_OBJECT_KEY" as const, revisionValue: "other.zip" },
      message: "Source revision type 'S3_OBJECT_KEY' needs AllowOverrideForS3ObjectKey set to true on action 'Source'.",
    },
  ])("$what on a $source source of a $type pipeline is refused", async (c) => {
    const name = await create(sources[c.source] as Action, c.type);
    const before = await startsOf(name);
    const refused = await start(name, c.override).then(
      () => null,
      (e: unknown) => e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } },
    );
    expect(refused?.name).toBe("ValidationException");
    expect(refused?.$metadata?.httpStatusCode).toBe(400);
    expect(refused?.message).toBe(c.message.replace("{name}", name));
    expect(await startsOf(name)).toBe(before);
  });

  it("an S3 object version is taken by an S3 source, and its key once the action allows it", async () => {
    const name = await create(
      { ...sources.s3, configuration: { ...sources.s3?.configuration, AllowOverrideForS3ObjectKey: "true" } } as Action,
      "V2",
    );
    await expect(
      start(name, { revisionType: "S3_OBJECT_VERSION_ID", revisionValue: "3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" }),
    ).resolves.toMatchObject({ pipelineExecutionId: expect.any(String) as string });
    await expect(start(name, { revisionType: "S3_OBJECT_KEY", revisionValue: "other.zip" })).resolves.toMatchObject({
      pipelineExecutionId: expect.any(String) as string,
    });
  });
});
