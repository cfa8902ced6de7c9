import { describe, expect, it } from "vitest";
import { sanitizeConfiguration, sanitizeDeclaration } from "@/lib/server/aws/sanitize";
import type { ActionDefinitionInfo } from "@/lib/server/aws/types";
import { commitInfo, commitMessageOf } from "./commit-info";
import { mapRepository } from "./repository-mapping";

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

describe("repository mapping", () => {
  it("maps GitHub v1 Owner/Repo, lower-cased", () => {
    const m = mapRepository(stages(action({ owner: "ThirdParty", provider: "GitHub", configuration: { Owner: "Acme", Repo: "Web-App", Branch: "main" } })));
    expect(m).toMatchObject({ fullName: "acme/web-app", branch: "main", provider: "GitHub", sourceActionName: "Source" });
  });

  it("maps connections by FullRepositoryId and BranchName", () => {
    const m = mapRepository(stages(action({ provider: "CodeStarSourceConnection", configuration: { FullRepositoryId: "globex/storefront", BranchName: "develop" } })));
    expect(m).toMatchObject({ fullName: "globex/storefront", branch: "develop", provider: "CodeStarSourceConnection" });
  });

  it("leaves other sources unmapped, keeping their provider, and rejects malformed repository ids", () => {
    expect(mapRepository(stages(action({ provider: "CodeCommit", configuration: { RepositoryName: "x" } })))).toMatchObject({ fullName: null, provider: "CodeCommit" });
    const bad = mapRepository(stages(action({ provider: "CodeStarSourceConnection", configuration: { FullRepositoryId: "a/b/../c" } })));
    expect(bad.fullName).toBeNull();
    const evil = mapRepository(stages(action({ owner: "ThirdParty", provider: "GitHub", configuration: { Owner: "<script>", Repo: "x" } })));
    expect(evil.fullName).toBeNull();
  });
});

describe("secrets", () => {
  it("drops OAuthToken and other secret-looking keys, keeps the rest", () => {
    expect(sanitizeConfiguration({ Owner: "acme", OAuthToken: "****", ClientSecret: "s", DbPassword: "p", Branch: "main" })).toEqual({ Owner: "acme", Branch: "main" });
  });

  it("redacts secret-looking plain-text environment variables of CodeBuild actions", () => {
    const env = JSON.stringify([{ name: "API_TOKEN", value: "abc", type: "PLAINTEXT" }, { name: "STAGE", value: "prod", type: "PLAINTEXT" }]);
    const out = JSON.parse(sanitizeConfiguration({ EnvironmentVariables: env })?.EnvironmentVariables ?? "[]") as { value: string }[];
    expect(out.map((e) => e.value)).toEqual(["[redacted]", "prod"]);
  });

  it("cleans a whole declaration deeply", () => {
    const decl = { name: "p", stages: [{ actions: [{ configuration: { OAuthToken: "x", Repo: "r" } }] }] };
    expect(JSON.stringify(sanitizeDeclaration(decl))).toBe('{"name":"p","stages":[{"actions":[{"configuration":{"Repo":"r"}}]}]}');
  });
});

describe("commit info", () => {
  const sha = "da7add70427515f20f736525be1b92bf23ff6b6f";
  it("parses the JSON revision summary of connections and links the commit on GitHub", () => {
    const info = commitInfo({
      revisions: [{ actionName: "Source", artifactName: null, revisionId: sha, revisionSummary: '{"ProviderType":"GitHub","CommitMessage":"Updated some files"}', revisionUrl: "https://console" }],
      sourceActionName: "Source",
      repositoryFullName: "acme/web-app",
      defaultBranch: "main",
      githubUrl: "https://github.com",
    });
    expect(info).toEqual({ commitSha: sha, commitMessage: "Updated some files", commitUrl: `https://github.com/acme/web-app/commit/${sha}`, branch: "main" });
  });

  it("keeps plain summaries and non-SHA revisions as they are", () => {
    expect(commitMessageOf("{not json")).toBe("{not json");
    expect(commitMessageOf("fix: thing")).toBe("fix: thing");
    const info = commitInfo({ revisions: [{ actionName: "Source", artifactName: null, revisionId: "v12", revisionSummary: null, revisionUrl: "https://s3" }], sourceActionName: "Source", repositoryFullName: null, defaultBranch: null, githubUrl: "https://github.com" });
    expect(info).toMatchObject({ commitSha: null, commitUrl: "https://s3" });
  });
});
