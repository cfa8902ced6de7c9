import { describe, expect, it } from "vitest";
import { unmappedSourceLabel } from "@/lib/pipelines/source-label";
import { sanitizeConfiguration, sanitizeDeclaration } from "@/lib/server/aws/sanitize";
import type { ActionDefinitionInfo } from "@/lib/server/aws/types";
import { commitInfo, commitMessageOf } from "./commit-info";
import { isGitHubDotCom, mapRepository, type ConnectionFact, type MappingContext } from "./repository-mapping";

const action = (over: Partial<ActionDefinitionInfo>): ActionDefinitionInfo => ({
  name: "Source",
  category: "Source",
  owner: "AWS",
  provider: "S3",
  providerVersion: "1",
  runOrder: 1,
  configuration: {},
  region: null,
  namespace: null,
  timeoutInMinutes: null,
  ...over,
});
const stages = (...actions: ActionDefinitionInfo[]) => ({ stages: [{ name: "Source", conditions: null, actions }] });
const ARN = "arn:aws:codestar-connections:us-east-1:111122223333:connection/4dde5c82-51d6-4ea9-918e-03aed6972ff3";
const GITHUB_COM = "https://github.com";
const connectionSource = (repo: string, branch = "main", arn = ARN, name = "Source") =>
  action({
    name,
    provider: "CodeStarSourceConnection",
    configuration: { ConnectionArn: arn, FullRepositoryId: repo, BranchName: branch },
  });
const context = (
  githubUrl: string | null,
  fact: ConnectionFact | null,
  standInUrl: string | null = null,
): MappingContext => ({
  githubUrl,
  githubIsGitHubCom: isGitHubDotCom(githubUrl, standInUrl),
  connection: (arn) => (arn === ARN ? fact : null),
});
const gitHubV1 = (owner = "Acme", repo = "Web-App") =>
  stages(
    action({ owner: "ThirdParty", provider: "GitHub", configuration: { Owner: owner, Repo: repo, Branch: "main" } }),
  );

describe("repository mapping", () => {
  it("maps GitHub v1 Owner/Repo, lower-cased, when the configured GitHub is github.com", () => {
    const m = mapRepository(gitHubV1(), context(GITHUB_COM, null));
    expect(m).toMatchObject({
      fullName: "acme/web-app",
      branch: "main",
      provider: "GitHub",
      sourceActionName: "Source",
    });
  });

  it("maps connections by FullRepositoryId and BranchName", () => {
    const m = mapRepository(
      stages(connectionSource("globex/storefront", "develop")),
      context(GITHUB_COM, { providerType: "GitHub", providerEndpoint: null }),
    );
    expect(m).toMatchObject({
      fullName: "globex/storefront",
      branch: "develop",
      provider: "CodeStarSourceConnection",
      connectionArn: ARN,
      connectionProvider: "GitHub",
    });
  });

  it("leaves other sources unmapped, keeping their provider, and rejects malformed repository ids", () => {
    expect(
      mapRepository(stages(action({ provider: "CodeCommit", configuration: { RepositoryName: "x" } }))),
    ).toMatchObject({ fullName: null, provider: "CodeCommit" });
    const bad = mapRepository(
      stages(action({ provider: "CodeStarSourceConnection", configuration: { FullRepositoryId: "a/b/../c" } })),
    );
    expect(bad.fullName).toBeNull();
    const evil = mapRepository(
      stages(action({ owner: "ThirdParty", provider: "GitHub", configuration: { Owner: "<script>", Repo: "x" } })),
      context(GITHUB_COM, null),
    );
    expect(evil.fullName).toBeNull();
  });
});

describe("repository mapping of GitHub (version 1) sources, which always mean github.com", () => {
  it("leaves them unmapped on a GitHub Enterprise Server: its acme/web-app is not github.com's", () => {
    for (const githubUrl of ["https://github.example.com", "https://github.com.evil.example", "http://github.com"]) {
      expect(mapRepository(gitHubV1(), context(githubUrl, null))).toMatchObject({
        fullName: null,
        owner: null,
        name: null,
        branch: "main",
        provider: "GitHub",
        sourceActionName: "Source",
        connectionArn: null,
      });
    }
    expect(mapRepository(gitHubV1(), context(null, null)).fullName).toBeNull();
    // Without a context nothing says where the configured GitHub is, so nothing is mapped.
    expect(mapRepository(gitHubV1())).toMatchObject({ fullName: null, sourceActionName: "Source" });
  });

  it("maps them on the local stand-in only when it is declared to play github.com, and only on loopback", () => {
    const standIn = "http://127.0.0.1:4600";
    expect(mapRepository(gitHubV1(), context(standIn, null, standIn)).fullName).toBe("acme/web-app");
    expect(mapRepository(gitHubV1(), context(`${standIn}/`, null, standIn)).fullName).toBe("acme/web-app");
    // Another GitHub than the declared stand-in, or a declaration naming a non-loopback GitHub, counts for nothing.
    expect(mapRepository(gitHubV1(), context(standIn, null, "http://127.0.0.1:4601")).fullName).toBeNull();
    expect(mapRepository(gitHubV1(), context(standIn, null)).fullName).toBeNull();
    expect(isGitHubDotCom("https://github.example.com", "https://github.example.com")).toBe(false);
    expect(isGitHubDotCom("http://10.0.0.5:4600", "http://10.0.0.5:4600")).toBe(false);
  });

  it("are named, when unmapped, as github.com sources with the reason", () => {
    const m = mapRepository(gitHubV1(), context("https://github.example.com", null));
    expect(
      unmappedSourceLabel({
        sourceProvider: m.provider,
        sourceConnectionArn: m.connectionArn,
        sourceConnectionProvider: m.connectionProvider,
      }),
    ).toBe("GitHub.com (version 1 source), mapped only when this dashboard uses it");
  });
});

describe("repository mapping of connection sources, by where the connection points", () => {
  const ghes = (endpoint: string | null): ConnectionFact => ({
    providerType: "GitHubEnterpriseServer",
    providerEndpoint: endpoint,
  });
  const mapped = (githubUrl: string | null, fact: ConnectionFact | null) =>
    mapRepository(stages(connectionSource("Acme/Web-App")), context(githubUrl, fact));

  it("maps a GitHub connection only when the configured GitHub is github.com", () => {
    expect(mapped(GITHUB_COM, { providerType: "GitHub", providerEndpoint: null })).toMatchObject({
      fullName: "acme/web-app",
      connectionProvider: "GitHub",
    });
    expect(mapped("https://github.com/", { providerType: "GitHub", providerEndpoint: null }).fullName).toBe(
      "acme/web-app",
    );
    expect(mapped("https://github.example.com", { providerType: "GitHub", providerEndpoint: null })).toMatchObject({
      fullName: null,
      connectionProvider: "GitHub",
    });
  });

  it("maps a GitHub Enterprise Server connection only when its host is the configured GitHub", () => {
    expect(mapped("https://github.example.com", ghes("https://github.example.com/"))).toMatchObject({
      fullName: "acme/web-app",
      connectionProvider: "GitHubEnterpriseServer",
    });
    expect(mapped("https://github.example.com/", ghes("https://GITHUB.example.com:443"))).toMatchObject({
      fullName: "acme/web-app",
    });
    expect(mapped("https://github.example.com", ghes("https://github.other.example"))).toMatchObject({
      fullName: null,
      owner: null,
      name: null,
      connectionProvider: "GitHubEnterpriseServer",
    });
    expect(mapped("https://github.example.com", ghes("http://github.example.com")).fullName).toBeNull();
    expect(mapped("https://github.example.com", ghes(null)).fullName).toBeNull();
    expect(mapped(GITHUB_COM, ghes("https://github.com")).fullName).toBe("acme/web-app");
  });

  it("leaves Bitbucket, GitLab and unknown providers unmapped, keeping the branch and naming the provider", () => {
    for (const providerType of ["Bitbucket", "GitLab", "GitLabSelfManaged", "AzureDevOps"]) {
      expect(mapped(GITHUB_COM, { providerType, providerEndpoint: null })).toMatchObject({
        fullName: null,
        branch: "main",
        provider: "CodeStarSourceConnection",
        connectionArn: ARN,
        connectionProvider: providerType,
        sourceActionName: "Source",
      });
    }
  });

  it("leaves a connection that is not known (not listed yet, or the listing was denied) unmapped", () => {
    expect(mapped(GITHUB_COM, null)).toMatchObject({
      fullName: null,
      connectionArn: ARN,
      connectionProvider: null,
      sourceActionName: "Source",
    });
    expect(mapped(null, { providerType: "GitHub", providerEndpoint: null }).fullName).toBeNull();
    expect(mapRepository(stages(connectionSource("acme/web-app")))).toMatchObject({
      fullName: null,
      connectionArn: ARN,
      sourceActionName: "Source",
    });
  });

  it("decides on the first repository source: a later GitHub source does not stand in for an unmapped connection", () => {
    const twoSources = stages(
      connectionSource("acme/web-app", "main", ARN, "Bitbucket"),
      action({
        name: "GitHub",
        owner: "ThirdParty",
        provider: "GitHub",
        runOrder: 2,
        configuration: { Owner: "acme", Repo: "web-app" },
      }),
    );
    const m = mapRepository(twoSources, context(GITHUB_COM, { providerType: "Bitbucket", providerEndpoint: null }));
    expect(m).toMatchObject({ fullName: null, sourceActionName: "Bitbucket", connectionProvider: "Bitbucket" });
  });
});

describe("secrets", () => {
  it("drops OAuthToken and other secret-looking keys, keeps the rest", () => {
    expect(
      sanitizeConfiguration({ Owner: "acme", OAuthToken: "****", ClientSecret: "s", DbPassword: "p", Branch: "main" }),
    ).toEqual({ Owner: "acme", Branch: "main" });
  });

  it("redacts secret-looking plain-text environment variables of CodeBuild actions", () => {
    const env = JSON.stringify([
      { name: "API_TOKEN", value: "abc", type: "PLAINTEXT" },
      { name: "STAGE", value: "prod", type: "PLAINTEXT" },
    ]);
    const out = JSON.parse(sanitizeConfiguration({ EnvironmentVariables: env })?.EnvironmentVariables ?? "[]") as {
      value: string;
    }[];
    expect(out.map((e) => e.value)).toEqual(["[redacted]", "prod"]);
  });

  it("cleans a whole declaration deeply", () => {
    const decl = { name: "p", stages: [{ actions: [{ configuration: { OAuthToken: "x", Repo: "r" } }] }] };
    expect(JSON.stringify(sanitizeDeclaration(decl))).toBe(
      '{"name":"p","stages":[{"actions":[{"configuration":{"Repo":"r"}}]}]}',
    );
  });
});

describe("commit info", () => {
  const sha = "da7add70427515f20f736525be1b92bf23ff6b6f";
  it("parses the JSON revision summary of connections and links the commit on GitHub", () => {
    const info = commitInfo({
      revisions: [
        {
          actionName: "Source",
          artifactName: null,
          revisionId: sha,
          revisionSummary: '{"ProviderType":"GitHub","CommitMessage":"Updated some files"}',
          revisionUrl: "https://console",
        },
      ],
      sourceActionName: "Source",
      repositoryFullName: "acme/web-app",
      defaultBranch: "main",
      githubUrl: "https://github.com",
    });
    expect(info).toEqual({
      commitSha: sha,
      commitMessage: "Updated some files",
      commitUrl: `https://github.com/acme/web-app/commit/${sha}`,
      branch: "main",
    });
  });

  it("keeps plain summaries and non-SHA revisions as they are", () => {
    expect(commitMessageOf("{not json")).toBe("{not json");
    expect(commitMessageOf("fix: thing")).toBe("fix: thing");
    const info = commitInfo({
      revisions: [
        {
          actionName: "Source",
          artifactName: null,
          revisionId: "v12",
          revisionSummary: null,
          revisionUrl: "https://s3",
        },
      ],
      sourceActionName: "Source",
      repositoryFullName: null,
      defaultBranch: null,
      githubUrl: "https://github.com",
    });
    expect(info).toMatchObject({ commitSha: null, commitUrl: "https://s3" });
  });
});
