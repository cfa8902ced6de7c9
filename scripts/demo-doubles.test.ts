// The demo's two doubles tell one story (scripts/start.ts wires them so): the GitHub stand-in serves the commits
// the sandbox's pipelines deliver, with their authors linked to its demo users, so each demo user meets the case
// the README promises (may approve, may not, own commit, one of two), read through GitHub's own client.
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type RunningGitHubStandIn } from "../github-stand-in";
import { signIn } from "../github-stand-in/test-support/github-client";
import { startSandbox, type Sandbox } from "../sandbox";

let sandbox: Sandbox;
let standIn: RunningGitHubStandIn;
let aws: CodePipelineClient;
const github: Record<string, Octokit> = {};

beforeAll(async () => {
  sandbox = await startSandbox({ clock: "manual", seed: "1", pipelines: 24, historyDays: 30 });
  const repositories = (await (await fetch(`${sandbox.url}/_sandbox/repositories`)).json()) as {
    repositories: string[];
  };
  standIn = await startGitHubStandIn({
    repositories: repositories.repositories,
    commitsFrom: `${sandbox.url}/_sandbox/commits`,
  });
  aws = new CodePipelineClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
    maxAttempts: 1,
  });
  for (const login of ["ada", "grace", "margaret", "linus"])
    github[login] = new Octokit({ baseUrl: `${standIn.url}/api/v3`, auth: await signIn(standIn.url, login) });
});
afterAll(async () => {
  aws.destroy();
  await standIn.stop();
  await sandbox.stop();
});

/** What the approval waiting on a pipeline brings: GitHub's compare from the last execution that passed it. */
async function waitingApproval(pipelineName: string) {
  const state = await aws.send(new GetPipelineStateCommand({ name: pipelineName }));
  const stage = state.stageStates?.find((s) => s.stageName === "Approval");
  expect(stage?.latestExecution?.status).toBe("InProgress");
  const { pipelineExecution } = await aws.send(
    new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: stage?.latestExecution?.pipelineExecutionId }),
  );
  const { pipelineExecutionSummaries: [passed] = [] } = await aws.send(
    new ListPipelineExecutionsCommand({ pipelineName, filter: { succeededInStage: { stageName: "Approval" } } }),
  );
  return {
    head: pipelineExecution?.artifactRevisions?.[0]?.revisionId ?? "",
    base: passed?.sourceRevisions?.[0]?.revisionId ?? "",
  };
}

async function authorsOf(viewer: string, repository: string, pipelineName: string) {
  const { base, head } = await waitingApproval(pipelineName);
  const [owner = "", repo = ""] = repository.split("/");
  const { data } = await (github[viewer] as Octokit).rest.repos.compareCommitsWithBasehead({
    owner,
    repo,
    basehead: `${base}...${head}`,
  });
  expect(data.status).toBe("ahead");
  expect(data.commits.at(-1)?.sha).toBe(head);
  return data.commits.map((c) => ({ login: c.author?.login ?? null, name: c.commit.author?.name }));
}

async function permission(viewer: string, repository: string) {
  const [owner = "", repo = ""] = repository.split("/");
  const { data } = await (github[viewer] as Octokit).rest.repos.get({ owner, repo });
  return data.permissions;
}

describe("the demo", () => {
  it("web-app-prod: ada administers acme/web-app and wrote none of what waits; linus wrote it but only reads", async () => {
    const authors = await authorsOf("ada", "acme/web-app", "web-app-prod");
    expect(authors.length).toBeGreaterThan(0);
    expect(authors.map((a) => a.login)).not.toContain("ada");
    expect(authors.at(-1)).toEqual({ login: "linus", name: "Linus Torvalds" });
    expect(await permission("ada", "acme/web-app")).toMatchObject({ admin: true });
    expect(await permission("linus", "acme/web-app")).toMatchObject({ push: false, pull: true });
  });

  it("api-prod: what waits is ada's own commit", async () => {
    const authors = await authorsOf("ada", "acme/api", "api-prod");
    expect(authors.at(-1)).toEqual({ login: "ada", name: "Ada Lovelace" });
  });

  it("storefront-prod: grace and margaret both write globex/storefront and wrote none of it; ada only reads", async () => {
    const authors = await authorsOf("grace", "globex/storefront", "storefront-prod");
    expect(authors.map((a) => a.login)).toEqual(authors.map(() => null));
    for (const writer of ["grace", "margaret"])
      expect(await permission(writer, "globex/storefront")).toMatchObject({ push: true });
    expect(await permission("ada", "globex/storefront")).toMatchObject({ push: false, pull: true });
    const { data } = await (github.grace as Octokit).rest.teams.getMembershipForUserInOrg({
      org: "globex",
      team_slug: "release-managers",
      username: "margaret",
    });
    expect(data.state).toBe("active");
  });
});
