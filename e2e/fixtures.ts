import { createHash, randomBytes, randomInt } from "node:crypto";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  type PipelineDeclaration,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { E2E, embeddedDatabaseUrl } from "./environment";

// Specs run in parallel against one stack. A spec that changes what the sandbox or the GitHub stand-in
// holds does it on a pipeline, repository or GitHub user of its own (`dedicated`); what cannot be had
// alone (the sandbox's clock) is changed only by specs tagged @serial, which run by themselves after
// all the others (playwright.config.ts). Specs that read the demo fleet use `fleetRepositories`.

export type TestUser = { id: string; sessionToken: string; login(page: Page): Promise<void> };

/** A pipeline only one test uses: its GitHub source is a repository of its own (`repository`). */
export type DedicatedPipeline = { id: string; name: string; repository: string; stages: string[] };

/** A GitHub user only one test uses; it reaches nothing until granted. */
type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type DedicatedGitHubUser = {
  login: string;
  grant(repository: string, permission: Role): Promise<void>;
  /** A role on every repository of `owner` (GitHub's organisation base permission). */
  grantOwner(owner: string, permission: Role): Promise<void>;
};

/** Names of dedicated pipelines, their repositories' owners and dedicated GitHub users all start with this. */
export const DEDICATED_PREFIX = "e2e-";
export const isDedicated = (name: string) => name.toLowerCase().startsWith(DEDICATED_PREFIX);

type Fixtures = {
  db: pg.Client;
  users: { create(input: { login?: string; repositories: string[]; isAdmin?: boolean }): Promise<TestUser> };
  sandbox: {
    url: string;
    advance(ms: number): Promise<void>;
    control<T = unknown>(route: string, body?: unknown): Promise<T>;
    /** The demo fleet's repositories, without any test's dedicated ones. */
    fleetRepositories(): Promise<string[]>;
  };
  /** The sandbox's CodePipeline API, as Stageboard's sync engine calls it. */
  codepipeline: CodePipelineClient;
  dedicated: { pipeline(): Promise<DedicatedPipeline>; githubUser(): Promise<DedicatedGitHubUser> };
};

/** Unique across workers, repetitions and runs; a valid pipeline name, GitHub login and owner (≤ 39 characters). */
export function uniqueName(testInfo: TestInfo): string {
  return `${DEDICATED_PREFIX}${testInfo.workerIndex}-${randomBytes(5).toString("hex")}`;
}

/** A short Lambda invocation of the source artifact, named after its stage. */
export function lambdaStage(pipeline: string, stage: string): StageDeclaration {
  return {
    name: stage,
    actions: [
      {
        name: stage,
        runOrder: 1,
        inputArtifacts: [{ name: "SourceArtifact" }],
        actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
        configuration: { FunctionName: `${pipeline}-${stage.toLowerCase()}` },
      },
    ],
  };
}

/** The source stage: `owner`/`repo` on GitHub (version 1 action), branch main, started by pushes only. */
export function githubSourceStage(owner: string, repo = "app"): StageDeclaration {
  return sourceStage(
    { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
    { Owner: owner, Repo: repo, Branch: "main", OAuthToken: "e2e-oauth-token", PollForSourceChanges: "false" },
  );
}

/** A source on a CodeStar connection: what a pipeline needs to be started at a chosen commit. */
export function connectionSourceStage(connectionArn: string, repository: string): StageDeclaration {
  return sourceStage(
    { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
    { ConnectionArn: connectionArn, FullRepositoryId: repository, BranchName: "main", DetectChanges: "false" },
  );
}

function sourceStage(
  actionTypeId: NonNullable<StageDeclaration["actions"]>[number]["actionTypeId"],
  configuration: Record<string, string>,
): StageDeclaration {
  return {
    name: "Source",
    actions: [
      { name: "Source", runOrder: 1, outputArtifacts: [{ name: "SourceArtifact" }], actionTypeId, configuration },
    ],
  };
}

/** Source (GitHub, version 1) → Build → Test → Deploy, short Lambda invocations after the source. */
function dedicatedDeclaration(name: string, owner: string): PipelineDeclaration {
  return {
    name,
    roleArn: `arn:aws:iam::111122223333:role/service-role/${name}`,
    artifactStore: { type: "S3", location: "codepipeline-us-east-1-e2e" },
    stages: [githubSourceStage(owner), ...["Build", "Test", "Deploy"].map((stage) => lambdaStage(name, stage))],
  };
}

/**
 * The id the GitHub stand-in gives a repository, or, for a name it does not hold (a dedicated pipeline's, say),
 * a stable id of its own far above the stand-in's.
 */
async function standInRepositoryId(fullName: string): Promise<string> {
  const response = await fetch(`${E2E.githubUrl}/_stand-in/repositories`);
  const { ids } = (await response.json()) as { ids: Record<string, number> };
  const known = Object.entries(ids).find(([name]) => name.toLowerCase() === fullName);
  if (known) return String(known[1]);
  return String(
    9_000_000_000_000 + (parseInt(createHash("sha1").update(fullName).digest("hex").slice(0, 10), 16) % 1e12),
  );
}

/** A control-plane call to the sandbox or the GitHub stand-in (GET without a body, else POST of JSON); its JSON answer. */
export async function jsonRequest<T = unknown>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(
    url,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  const text = await response.text();
  expect(response.ok, `${url} answered ${response.status}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

const standIn = (route: string, body: unknown) => jsonRequest(`${E2E.githubUrl}/_stand-in/${route}`, body);

/**
 * Waits until Stageboard has synced the pipeline called `name` (discovered, backfilled, its state read and its
 * repository linked) with `stageCount` stages; its row id and stage names.
 */
export async function syncedPipeline(
  db: pg.Client,
  name: string,
  stageCount: number,
): Promise<{ id: string; stages: string[] }> {
  let synced: { id: string; stages: string[] } | undefined;
  let discoveryAsked = Date.now();
  await expect
    .poll(
      async () => {
        const { rows } = await db.query<{ id: string; stages: string[]; ready: boolean }>(
          `SELECT p.id, array_remove(array_agg(s.name ORDER BY s.position), NULL) AS stages,
                  bool_and(p."repositoryId" IS NOT NULL AND ps."backfillDone" AND p.state IS NOT NULL) AS ready
             FROM "Pipeline" p LEFT JOIN "PipelineSync" ps ON ps."pipelineId" = p.id LEFT JOIN "Stage" s ON s."pipelineId" = p.id
            WHERE p.name = $1 GROUP BY p.id`,
          [name],
        );
        const row = rows[0];
        if (!row && Date.now() - discoveryAsked > 10_000) {
          // An event about an unknown pipeline makes discovery due at once, but one that arrives while a
          // discovery is running is overwritten by that discovery's next date (minutes away): ask again.
          await db.query(`UPDATE "Target" SET "nextDiscoveryAt" = now() WHERE "nextDiscoveryAt" > now()`);
          discoveryAsked = Date.now();
        }
        synced = row?.ready ? row : undefined;
        return synced?.stages.length ?? 0;
      },
      { message: `Stageboard syncs the pipeline ${name}`, timeout: 60_000 },
    )
    .toBe(stageCount);
  if (!synced) throw new Error(`${name} was not synced`);
  return synced;
}

export const test = base.extend<Fixtures>({
  db: async ({}, provide) => {
    const client = new pg.Client({ connectionString: embeddedDatabaseUrl(E2E.dataDir, E2E.postgresPort) });
    await client.connect();
    await provide(client);
    await client.end();
  },

  // Users made straight in the database with a session, as next-auth would have stored them. Their
  // repository list is dated in the future so the visibility cache never asks GitHub about them
  // (they have no GitHub token); the real sign-in flow has its own specs.
  users: async ({ db }, provide, testInfo) => {
    const created: string[] = [];
    await provide({
      async create({ login, repositories, isAdmin = false }) {
        const name = login ?? `user-${testInfo.workerIndex}-${randomBytes(6).toString("hex")}`;
        const id = `e2e_${randomBytes(8).toString("hex")}`;
        const sessionToken = randomBytes(24).toString("hex");
        await db.query(
          `INSERT INTO "User" (id, "githubId", login, name, "updatedAt", "reposFetchedAt", "isAdmin") VALUES ($1, $2, $3, $3, now(), now() + interval '1 day', $4)`,
          [id, 900_000_000 + randomInt(90_000_000), name, isAdmin],
        );
        for (const fullName of repositories) {
          // As the access refresh stores a list: each repository with its GitHub id, which pins a repository
          // row not pinned yet (visibility compares ids). A row pinned already keeps its id.
          const key = fullName.toLowerCase();
          const pinned = await db.query<{ id: string }>(
            `SELECT "githubId"::text AS id FROM "Repository" WHERE "fullName" = $1 AND "githubId" IS NOT NULL`,
            [key],
          );
          const githubId = pinned.rows[0]?.id ?? (await standInRepositoryId(key));
          await db.query(
            `INSERT INTO "UserRepository" ("userId", "fullName", permission, "githubId") VALUES ($1, $2, 'read', $3)`,
            [id, key, githubId],
          );
          await db.query(
            `UPDATE "Repository" SET "githubId" = $2, "githubIdSource" = 'user-repository-list', "githubIdPinnedAt" = now(),
                    "githubFullName" = "fullName"
              WHERE "fullName" = $1 AND "githubId" IS NULL`,
            [key, githubId],
          );
        }
        await db.query(
          `INSERT INTO "Session" (id, "tokenHash", "userId", expires) VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'), $3, now() + interval '1 day')`,
          [`s_${id}`, sessionToken, id],
        );
        created.push(id);
        const loginWith = async (page: Page) => {
          await page.context().addCookies([
            {
              name: "next-auth.session-token",
              value: sessionToken,
              url: E2E.appUrl,
              httpOnly: true,
              sameSite: "Lax",
            },
          ]);
        };
        return { id, login: loginWith, sessionToken };
      },
    });
    for (const id of created) await db.query(`DELETE FROM "User" WHERE id = $1`, [id]);
  },

  sandbox: async ({}, provide) => {
    const control = <T>(route: string, body?: unknown) => jsonRequest<T>(`${E2E.sandboxUrl}/_sandbox/${route}`, body);
    await provide({
      url: E2E.sandboxUrl,
      control,
      advance: (ms) => control("clock/advance", { ms }).then(() => undefined),
      fleetRepositories: async () =>
        (await control<{ repositories: string[] }>("repositories")).repositories.filter(
          (r) => !r.split("/").some(isDedicated),
        ),
    });
  },

  codepipeline: async ({}, provide) => {
    const client = new CodePipelineClient({
      endpoint: E2E.sandboxUrl,
      region: "us-east-1",
      credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
    });
    await provide(client);
    client.destroy();
  },

  // Dedicated pipelines stay in the sandbox afterwards (Stageboard would show a deleted one until its next
  // discovery); nobody else sees them: only their own test's users are given their repositories.
  dedicated: async ({ db, codepipeline }, provide, testInfo) => {
    await provide({
      async pipeline() {
        const name = uniqueName(testInfo);
        const repository = `${name}/app`;
        // Like the real service, the sandbox runs a new pipeline once right away; the event of that run makes
        // Stageboard discover the pipeline at once.
        await codepipeline.send(new CreatePipelineCommand({ pipeline: dedicatedDeclaration(name, name) }));
        const synced = await syncedPipeline(db, name, 4);
        return { id: synced.id, name, repository, stages: synced.stages };
      },

      async githubUser() {
        const login = uniqueName(testInfo);
        await standIn("users", { login, name: `E2E ${login}` });
        return {
          login,
          grant: async (repository, permission) => {
            await standIn("grants", { login, repository, permission });
          },
          grantOwner: async (owner, permission) => {
            await standIn("grants", { login, owner, permission });
          },
        };
      },
    });
  },
});

export { expect };

/** Signs in the way a person does: sign-in page, the GitHub stand-in's consent page, and back. */
export async function signInThroughGitHub(page: Page, login: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.githubUrl}/login/oauth/authorize`));
  await page.getByRole("radio", { name: new RegExp(`@${login}\\)`) }).check();
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page).toHaveURL(`${E2E.appUrl}/`);
}
