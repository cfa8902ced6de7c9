import {
  CreatePipelineCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";
import { CodeStarConnectionsClient, ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import type { Browser, BrowserContext, Page, TestInfo } from "@playwright/test";
import type pg from "pg";
import { E2E } from "./environment";
import {
  expect,
  connectionSourceStage,
  githubSourceStage,
  jsonRequest,
  lambdaStage,
  signInThroughGitHub,
  syncedPipeline,
  uniqueName,
  type DedicatedGitHubUser,
} from "./fixtures";

// Pipelines for the approval and control specs: V2 (chosen commits, variables), a GitHub repository the
// stand-in holds (so GitHub can be asked for the person's permission on it), and scripted actions that
// take no time, so `settle` moves an execution through them with the sandbox's clock standing still: it
// runs only work due now and moves no other spec's pipeline (the clock itself is moved only by @serial specs).

export type ControlPipeline = { id: string; name: string; repository: string; stages: string[] };

export type ControlPipelineOptions = {
  /** An approval stage between Build and Deploy (its action is named "Approve"). */
  approval?: { timeoutInMinutes?: number };
  /** Stages whose action fails (until scripted otherwise with `script`). */
  failing?: string[];
  /**
   * The source: GitHub (version 1) by default; a CodeStar connection to GitHub where the test starts a chosen
   * commit, which the version 1 action cannot take (lib/pipelines/commit-start.ts).
   */
  source?: "github-v1" | "connection";
};

/**
 * The sandbox account's connection to the GitHub Stageboard uses: the stand-in plays github.com for Stageboard,
 * while the sandbox, told of a GitHub at another address, holds its connections as GitHub Enterprise Server ones.
 */
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
        (c.ProviderType === "GitHub" || c.ProviderType === "GitHubEnterpriseServer") &&
        c.ConnectionStatus === "AVAILABLE",
    )?.ConnectionArn;
    if (!arn) throw new Error("the sandbox has no available GitHub connection");
    return arn;
  } finally {
    client.destroy();
  }
}

/** Makes an action of `pipeline` finish at once, succeeding or failing. */
export async function script(pipeline: string, stage: string, outcome: "Succeeded" | "Failed"): Promise<void> {
  await jsonRequest(`${E2E.sandboxUrl}/_sandbox/scripts`, { pipeline, stage, action: stage, outcome, durationMs: 0 });
}

/** Runs the sandbox's work due now (scripted actions), without moving its clock. */
export async function settle(): Promise<void> {
  await jsonRequest(`${E2E.sandboxUrl}/_sandbox/clock/advance`, { ms: 0 });
}

/** A push to the pipeline's repository by `author`, which starts an execution; its id. */
export async function push(pipeline: string, author?: { name: string; email: string }): Promise<string> {
  const { started } = await jsonRequest<{ started: { pipelineExecutionId: string }[] }>(
    `${E2E.sandboxUrl}/_sandbox/activity`,
    { pipelines: [pipeline], ...(author ? { author } : {}) },
  );
  const id = started[0]?.pipelineExecutionId;
  if (!id) throw new Error(`no execution started on ${pipeline}`);
  return id;
}

function declaration(
  name: string,
  options: ControlPipelineOptions,
  source: StageDeclaration,
): PipelineDeclaration & { stages: StageDeclaration[] } {
  const approval: StageDeclaration[] = options.approval
    ? [
        {
          name: "Approval",
          actions: [
            {
              name: "Approve",
              runOrder: 1,
              actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
              configuration: {
                CustomData: `Release ${name} to production`,
                ExternalEntityLink: `https://example.com/${name}/review`,
              },
              ...(options.approval.timeoutInMinutes ? { timeoutInMinutes: options.approval.timeoutInMinutes } : {}),
            },
          ],
        },
      ]
    : [];
  return {
    name,
    pipelineType: "V2",
    roleArn: `arn:aws:iam::111122223333:role/service-role/${name}`,
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-e2e" },
    stages: [source, lambdaStage(name, "Build"), ...approval, lambdaStage(name, "Deploy")],
  };
}

/**
 * A pipeline of the test's own, synced by Stageboard; its first execution (started on creation, as AWS does)
 * has run up to the approval (waiting) or to the end, or stopped at the first failing stage.
 */
export async function controlPipeline(
  deps: { db: pg.Client; codepipeline: CodePipelineClient },
  testInfo: TestInfo,
  options: ControlPipelineOptions = {},
): Promise<ControlPipeline> {
  const name = uniqueName(testInfo);
  const repository = `${name}/app`;
  const source =
    options.source === "connection"
      ? connectionSourceStage(await githubConnectionArn(), repository)
      : githubSourceStage(name);
  const decl = declaration(name, options, source);
  for (const stage of decl.stages.map((s) => s.name ?? ""))
    if (stage !== "Approval") await script(name, stage, options.failing?.includes(stage) ? "Failed" : "Succeeded");
  await jsonRequest(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });
  await deps.codepipeline.send(new CreatePipelineCommand({ pipeline: decl }));
  await settle();
  const synced = await syncedPipeline(deps.db, name, decl.stages.length);
  return { id: synced.id, name, repository, stages: synced.stages };
}

type Permission = "admin" | "maintain" | "write" | "triage" | "read";

/** A GitHub user of the test's own with `permission` on `repository`, signed in on `page` through GitHub. */
export async function signedInWith(
  page: Page,
  person: DedicatedGitHubUser,
  repository: string,
  permission: Permission,
): Promise<void> {
  await person.grant(repository, permission);
  await signInThroughGitHub(page, person.login);
}

/** A second browser (its own cookies) with `person` signed in as `signedInWith` does; close the context after. */
export async function signedInBrowser(
  browser: Browser,
  person: DedicatedGitHubUser,
  repository: string,
  permission: Permission,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signedInWith(page, person, repository, permission);
  return { context, page };
}

export const stageCard = (page: Page, stage: string) => page.locator(`[data-testid="stage"][data-stage="${stage}"]`);

/** Marks the page so a reload (which would drop the mark) is noticed by `expectSamePage`. */
export async function markPage(page: Page) {
  await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
}
export async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
}

/** The e-mail the GitHub stand-in gives a user it adds, which links their commits to their account. */
export const emailOf = (login: string) => `${login.toLowerCase()}@example.com`;
