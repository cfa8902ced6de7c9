import { randomBytes } from "node:crypto";
import {
  CreatePipelineCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";
import type { Page, TestInfo } from "@playwright/test";
import type pg from "pg";
import { E2E } from "./environment";
import { DEDICATED_PREFIX, expect, signInThroughGitHub, type DedicatedGitHubUser } from "./fixtures";

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
};

async function post<T>(url: string, body: unknown, method = "POST"): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T;
  expect(response.ok, `${url} answered ${response.status}: ${JSON.stringify(answer)}`).toBe(true);
  return answer;
}

/** Makes an action of `pipeline` finish at once, succeeding or failing. */
export async function script(pipeline: string, stage: string, outcome: "Succeeded" | "Failed"): Promise<void> {
  await post(`${E2E.sandboxUrl}/_sandbox/scripts`, { pipeline, stage, action: stage, outcome, durationMs: 0 });
}

/** Runs the sandbox's work due now (scripted actions), without moving its clock. */
export async function settle(): Promise<void> {
  await post(`${E2E.sandboxUrl}/_sandbox/clock/advance`, { ms: 0 });
}

/** A push to the pipeline's repository by `author`, which starts an execution; its id. */
export async function push(pipeline: string, author?: { name: string; email: string }): Promise<string> {
  const { started } = await post<{ started: { pipelineExecutionId: string }[] }>(
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
): PipelineDeclaration & { stages: StageDeclaration[] } {
  const invoke = (stage: string): StageDeclaration => ({
    name: stage,
    actions: [
      {
        name: stage,
        runOrder: 1,
        inputArtifacts: [{ name: "SourceArtifact" }],
        actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
        configuration: { FunctionName: `${name}-${stage.toLowerCase()}` },
      },
    ],
  });
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
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            runOrder: 1,
            outputArtifacts: [{ name: "SourceArtifact" }],
            actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
            configuration: {
              Owner: name,
              Repo: "app",
              Branch: "main",
              OAuthToken: "e2e-oauth-token",
              PollForSourceChanges: "false",
            },
          },
        ],
      },
      invoke("Build"),
      ...approval,
      invoke("Deploy"),
    ],
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
  const name = `${DEDICATED_PREFIX}${testInfo.workerIndex}-${randomBytes(5).toString("hex")}`;
  const repository = `${name}/app`;
  const decl = declaration(name, options);
  for (const stage of decl.stages.map((s) => s.name ?? ""))
    if (stage !== "Approval") await script(name, stage, options.failing?.includes(stage) ? "Failed" : "Succeeded");
  await post(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });
  await deps.codepipeline.send(new CreatePipelineCommand({ pipeline: decl }));
  await settle();
  let found: { id: string; stages: string[] } | undefined;
  let asked = Date.now();
  await expect
    .poll(
      async () => {
        const { rows } = await deps.db.query<{ id: string; stages: string[]; ready: boolean }>(
          `SELECT p.id, array_remove(array_agg(s.name ORDER BY s.position), NULL) AS stages,
                  bool_and(p."repositoryId" IS NOT NULL AND ps."backfillDone" AND p.state IS NOT NULL) AS ready
             FROM "Pipeline" p LEFT JOIN "PipelineSync" ps ON ps."pipelineId" = p.id LEFT JOIN "Stage" s ON s."pipelineId" = p.id
            WHERE p.name = $1 GROUP BY p.id`,
          [name],
        );
        const row = rows[0];
        if (!row && Date.now() - asked > 10_000) {
          // As in fixtures.ts: a discovery running when the creation event arrived postpones the next one.
          await deps.db.query(`UPDATE "Target" SET "nextDiscoveryAt" = now() WHERE "nextDiscoveryAt" > now()`);
          asked = Date.now();
        }
        found = row?.ready ? row : undefined;
        return found?.stages.length ?? 0;
      },
      { message: `Stageboard syncs ${name}`, timeout: 60_000 },
    )
    .toBe(decl.stages.length);
  if (!found) throw new Error(`${name} was not synced`);
  return { id: found.id, name, repository, stages: found.stages };
}

/** A GitHub user of the test's own with `permission` on `repository`, signed in on `page` through GitHub. */
export async function signedInWith(
  page: Page,
  person: DedicatedGitHubUser,
  repository: string,
  permission: "admin" | "maintain" | "write" | "triage" | "read",
): Promise<void> {
  await post(`${E2E.githubUrl}/_stand-in/grants`, { login: person.login, repository, permission });
  await signInThroughGitHub(page, person.login);
}

/** The e-mail the GitHub stand-in gives a user it adds, which links their commits to their account. */
export const emailOf = (login: string) => `${login.toLowerCase()}@example.com`;
