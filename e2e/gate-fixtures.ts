import {
  CreatePipelineCommand,
  DeletePipelineCommand,
  ListPipelineExecutionsCommand,
  type CodePipelineClient,
} from "@aws-sdk/client-codepipeline";
import { CodeStarConnectionsClient, ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import type { Locator, Page, TestInfo } from "@playwright/test";
import type pg from "pg";
import { script, signedInWith } from "./control-fixtures";
import { E2E } from "./environment";
import {
  connectionSourceStage,
  expect,
  jsonRequest,
  lambdaStage,
  syncedPipeline,
  test as base,
  uniqueName,
  type DedicatedGitHubUser,
} from "./fixtures";

// Release gates through the whole stack: a V2 pipeline of the test's own with a connection source on a repository
// under `acme` (where the stand-in's demo App, which Stageboard is, is installed), its own trigger off, gated by its
// repository's admin through the gate's route. Commits are pushed on the stand-in, whose demo workflows report their
// checks and send GitHub's webhooks to Stageboard; the gate answers on the commit with "Release gate · <pipeline>".

export type GatedPipeline = { id: string; name: string; repository: string };
export type Job = { name: string; conclusion: "success" | "failure"; afterMs: number };

async function githubConnectionArn(): Promise<string> {
  const client = new CodeStarConnectionsClient({
    endpoint: E2E.sandboxUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
  });
  try {
    const { Connections = [] } = await client.send(new ListConnectionsCommand({}));
    const arn = Connections.find(
      (c) =>
        c.ConnectionStatus === "AVAILABLE" &&
        (c.ProviderType === "GitHub" || c.ProviderType === "GitHubEnterpriseServer"),
    )?.ConnectionArn;
    if (!arn) throw new Error("the sandbox has no available GitHub connection");
    return arn;
  } finally {
    client.destroy();
  }
}

async function gatedPipeline(
  deps: { db: pg.Client; codepipeline: CodePipelineClient; page: Page; admin: DedicatedGitHubUser },
  testInfo: TestInfo,
  made: string[],
): Promise<GatedPipeline> {
  const name = uniqueName(testInfo);
  const repository = `acme/${name}`;
  await jsonRequest(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });
  const stages = [connectionSourceStage(await githubConnectionArn(), repository), lambdaStage(name, "Deploy")];
  for (const stage of ["Source", "Deploy"]) await script(name, stage, "Succeeded");
  made.push(name);
  await deps.codepipeline.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        pipelineType: "V2",
        roleArn: `arn:aws:iam::111122223333:role/service-role/${name}`,
        artifactStore: { type: "S3", location: "codepipeline-us-east-1-e2e" },
        stages,
      },
    }),
  );
  const synced = await syncedPipeline(deps.db, name, stages.length);
  await signedInWith(deps.page, deps.admin, repository, "admin");
  const turnedOn = await deps.page.request.put(`/api/pipelines/${synced.id}/gate`, {
    headers: { origin: E2E.appUrl, "content-type": "application/json" },
    data: { enabled: true, checks: "all", releaseOrder: "newest" },
  });
  expect(turnedOn.status(), await turnedOn.text()).toBe(200);
  return { id: synced.id, name, repository };
}

/**
 * `gate.pipeline()` as above, its admin signed in on `page`. Deleted from the sandbox after the test: its repository
 * is acme's, which the sandbox lists with the demo fleet's.
 */
export const test = base.extend<{ gate: { pipeline(): Promise<GatedPipeline> } }>({
  gate: async ({ db, codepipeline, page, dedicated }, provide, testInfo) => {
    const made: string[] = [];
    await provide({
      pipeline: async () =>
        gatedPipeline({ db, codepipeline, page, admin: await dedicated.githubUser() }, testInfo, made),
    });
    for (const name of made) await codepipeline.send(new DeletePipelineCommand({ name }));
  },
});

/** A commit pushed to the pipeline's branch on GitHub, by someone without a GitHub account; its SHA. */
export async function pushToGitHub(pipeline: GatedPipeline, message: string): Promise<string> {
  const { commits } = await jsonRequest<{ commits: string[] }>(`${E2E.githubUrl}/_stand-in/commits`, {
    repository: pipeline.repository,
    branch: "main",
    commits: [{ message, author: { name: "Priya Raman", email: "priya.raman@contractors.example" } }],
  });
  const sha = commits.at(-1);
  if (!sha) throw new Error(`no commit pushed to ${pipeline.repository}`);
  return sha;
}

/** GitHub Actions runs a workflow on the commit: its jobs start now and each completes after its delay. */
export async function runWorkflow(pipeline: GatedPipeline, sha: string, jobs: Job[]): Promise<void> {
  await jsonRequest(`${E2E.githubUrl}/_stand-in/workflows`, {
    repository: pipeline.repository,
    sha,
    head_branch: "main",
    checks: jobs,
  });
}

/** The executions AWS has of the pipeline for the commit. */
export async function executionsOf(codepipeline: CodePipelineClient, pipeline: GatedPipeline, sha: string) {
  const { pipelineExecutionSummaries = [] } = await codepipeline.send(
    new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
  );
  return pipelineExecutionSummaries.filter((e) => e.sourceRevisions?.some((r) => r.revisionId === sha));
}

export const commitPageUrl = (repository: string, sha: string) => `${E2E.githubUrl}/${repository}/commit/${sha}`;

export const checkRunNamed = (page: Page, name: string): Locator =>
  page.locator(`[data-testid="check-run"][data-name="${name}"]`);

/** Reloads the commit page until `check` holds (each look a short one, the whole wait a long one). */
export async function untilCommitPageShows(page: Page, url: string, check: () => Promise<void>) {
  await expect(async () => {
    await page.goto(url);
    await check();
  }).toPass({ timeout: 60_000, intervals: [1_000] });
}

export const quickly = { timeout: 1_000 };
