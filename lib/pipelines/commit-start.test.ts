import { describe, expect, it } from "vitest";
import { commitOverrideSupport, commitStartSupport, type CommitStartPipeline } from "./commit-start";
import {
  codeCommitSource,
  connectionSource,
  declaration,
  gitHubV1Source,
  pushTrigger,
  s3Source,
} from "./testing/declarations";

const REPO = "acme/web-app";

const cases: { name: string; pipeline: CommitStartPipeline; expected: ReturnType<typeof commitStartSupport> }[] = [
  {
    name: "a V2 pipeline whose connection source reads the repository starts at a commit through that action",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({ sources: [connectionSource("Source", "acme/web-app")] }),
      repositoryFullName: REPO,
    },
    expected: { ok: true, actionName: "Source" },
  },
  {
    name: "the repository is matched case-insensitively, and V2 triggers do not matter",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({
        sources: [connectionSource("App", "Acme/Web-App")],
        triggers: [pushTrigger("App")],
      }),
      repositoryFullName: "ACME/web-app",
    },
    expected: { ok: true, actionName: "App" },
  },
  {
    name: "other repositories' sources beside the repository's one leave it the action to start",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({
        sources: [
          connectionSource("Config", "acme/deploy-config"),
          connectionSource("App", "acme/web-app"),
          s3Source("Assets"),
        ],
      }),
      repositoryFullName: REPO,
    },
    expected: { ok: true, actionName: "App" },
  },
  {
    name: "a GitHub (version 1) source on a V2 pipeline is refused with the move to a connection",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({
        sources: [gitHubV1Source("Source", "acme", "web-app", { PollForSourceChanges: "false" })],
      }),
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason:
        "its source is the GitHub (version 1) action, which cannot start a chosen commit; move it to a CodeStar connection source",
    },
  },
  {
    name: "a GitHub (version 1) source on a V1 pipeline needs both changes",
    pipeline: {
      pipelineType: "V1",
      definition: declaration({ type: "V1", sources: [gitHubV1Source("Source", "acme", "web-app")] }),
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason:
        "its source is the GitHub (version 1) action, which cannot start a chosen commit; move it to a CodeStar connection source, " +
        "and make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit",
    },
  },
  {
    name: "a connection source on a V1 pipeline is refused for the type alone",
    pipeline: {
      pipelineType: "V1",
      definition: declaration({ type: "V1", sources: [connectionSource("Source", "acme/web-app")] }),
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason:
        "it is a V1 pipeline; make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit",
    },
  },
  {
    name: "the Pipeline row's type wins over a declaration without one (read as V1)",
    pipeline: {
      pipelineType: null,
      definition: {
        ...declaration({ sources: [connectionSource("Source", "acme/web-app")] }),
        pipelineType: undefined,
      },
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason:
        "it is a V1 pipeline; make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit",
    },
  },
  {
    name: "two source actions on the repository cannot be started with one commit",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({
        sources: [connectionSource("Source", "acme/web-app"), gitHubV1Source("Legacy", "acme", "web-app")],
      }),
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason:
        "2 source actions (Source, Legacy) read acme/web-app, and Stageboard starts one at a chosen commit; keep one source action for the repository",
    },
  },
  {
    name: "a pipeline without a GitHub repository is refused",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({ sources: [codeCommitSource("Source", "MyWebsite")] }),
      repositoryFullName: null,
    },
    expected: {
      ok: false,
      reason:
        "it has no source on a GitHub repository Stageboard knows, so no commit's checks can release it; give it a CodeStar connection source on the repository",
    },
  },
  {
    name: "a mapping whose repository no source action reads (a changed declaration) is refused",
    pipeline: {
      pipelineType: "V2",
      definition: declaration({ sources: [connectionSource("Source", "acme/api")] }),
      repositoryFullName: REPO,
    },
    expected: {
      ok: false,
      reason: "none of its source actions reads acme/web-app; give it a CodeStar connection source on the repository",
    },
  },
  {
    name: "a declaration not read yet is refused until the next sync",
    pipeline: { pipelineType: "V2", definition: null, repositoryFullName: REPO },
    expected: { ok: false, reason: "Stageboard has not read its declaration yet; it can tell after the next sync" },
  },
  {
    name: "a malformed declaration has no sources, so it is refused rather than guessed",
    pipeline: { pipelineType: "V2", definition: { stages: "Source" }, repositoryFullName: REPO },
    expected: {
      ok: false,
      reason: "none of its source actions reads acme/web-app; give it a CodeStar connection source on the repository",
    },
  },
];

describe("commitStartSupport", () => {
  it.each(cases)("$name", ({ pipeline, expected }) => {
    expect(commitStartSupport(pipeline)).toEqual(expected);
  });
});

describe("commitOverrideSupport", () => {
  const v2 = declaration({
    sources: [
      connectionSource("App", "acme/web-app"),
      codeCommitSource("Infra", "infra"),
      gitHubV1Source("Legacy", "acme", "legacy"),
      s3Source("Assets"),
    ],
  });
  it.each([
    { action: "App", expected: { ok: true } },
    { action: "Infra", expected: { ok: true } },
    {
      action: "Legacy",
      expected: {
        ok: false,
        reason:
          "its source is the GitHub (version 1) action, which cannot start a chosen commit; move it to a CodeStar connection source",
      },
    },
    {
      action: "Assets",
      expected: { ok: false, reason: "its source action Assets (S3) has no commits to choose from" },
    },
    { action: "Build", expected: { ok: false, reason: "it has no source action named Build" } },
  ])("a commit for $action on a V2 pipeline", ({ action, expected }) => {
    expect(commitOverrideSupport({ pipelineType: "V2", definition: v2 }, action)).toEqual(expected);
  });

  it("refuses every source action of a V1 pipeline", () => {
    const v1 = declaration({ type: "V1", sources: [codeCommitSource("Source", "MyWebsite")] });
    expect(commitOverrideSupport({ pipelineType: "V1", definition: v1 }, "Source")).toEqual({
      ok: false,
      reason:
        "it is a V1 pipeline; make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit",
    });
  });
});
