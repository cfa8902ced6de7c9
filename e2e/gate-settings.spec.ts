// A pipeline's release gate through the whole stack: the repository's admin (as the GitHub stand-in says) turns the
// gate on for a V2 pipeline with a connection source on the repository's settings page, on its named checks, and
// finds it after a reload, warned that the pipeline still starts itself; a reader of the repository gets no form, and the
// route refuses them.
import { CreatePipelineCommand, type CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CodeStarConnectionsClient, ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import type { TestInfo } from "@playwright/test";
import type pg from "pg";
import { signedInWith } from "./control-fixtures";
import { E2E } from "./environment";
import { expect, jsonRequest, lambdaStage, syncedPipeline, test, uniqueName } from "./fixtures";

/** The sandbox's GitHub connection (a GitHub Enterprise Server one while GitHub is the stand-in). */
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

/**
 * A V2 pipeline of the test's own with a connection source on a repository the stand-in holds (so it can be
 * started at a chosen commit), its DetectChanges left out: it still starts itself on every push.
 */
async function gatedPipeline(deps: { db: pg.Client; codepipeline: CodePipelineClient }, testInfo: TestInfo) {
  const name = uniqueName(testInfo);
  const repository = `${name}/app`;
  await jsonRequest(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });
  const connectionArn = await githubConnectionArn();
  await deps.codepipeline.send(
    new CreatePipelineCommand({
      pipeline: {
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
                actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
                configuration: { ConnectionArn: connectionArn, FullRepositoryId: repository, BranchName: "main" },
              },
            ],
          },
          lambdaStage(name, "Deploy"),
        ],
      },
    }),
  );
  const synced = await syncedPipeline(deps.db, name, 2);
  return { id: synced.id, name, repository };
}

test.describe("Release gate settings", () => {
  test("an admin turns the gate on for named checks; it stays after a reload", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const pipeline = await gatedPipeline({ db, codepipeline }, testInfo);
    const admin = await dedicated.githubUser();
    await signedInWith(page, admin, pipeline.repository, "admin");
    await page.goto(`/repositories/${pipeline.repository}/settings`);
    const gate = page.getByRole("region", { name: "Release gates" }).getByTestId(`gate-${pipeline.id}`);

    await test.step("the gate is off, and the pipeline still starts itself on every push", async () => {
      await expect(gate.getByTestId("gate-state")).toHaveText(/^Off/);
      await expect(gate.getByTestId("gate-enabled")).not.toBeChecked();
      await expect(gate.getByTestId("gate-own-triggers")).toContainText("DetectChanges is true unless");
      await expect(gate.getByTestId("gate-commit-start")).toHaveCount(0);
    });

    await test.step("the admin turns it on for two named checks, on release branches, each commit in order", async () => {
      await gate.getByTestId("gate-enabled").check();
      await gate.getByTestId("gate-branches").fill("main\nrelease/*");
      await gate.getByRole("radio", { name: /^Named checks/ }).check();
      await gate.getByTestId("gate-check-names").fill("build\ntest (ubuntu)");
      await gate.getByRole("radio", { name: /^Each commit, in push order/ }).check();
      await gate.getByRole("button", { name: "Save release gate" }).click();
      await expect(gate.getByRole("form").getByRole("status")).toHaveText("Saved");
      await expect(gate.getByTestId("gate-state")).toContainText(`On · last set by @${admin.login}`);
    });

    await test.step("after a reload the page shows what was stored", async () => {
      await page.reload();
      await expect(gate.getByTestId("gate-enabled")).toBeChecked();
      await expect(gate.getByTestId("gate-branches")).toHaveValue("main\nrelease/*");
      await expect(gate.getByRole("radio", { name: /^Named checks/ })).toBeChecked();
      await expect(gate.getByTestId("gate-check-names")).toHaveValue("build\ntest (ubuntu)");
      await expect(gate.getByRole("radio", { name: /^Each commit, in push order/ })).toBeChecked();
    });

    await test.step("the change is in the audit log, naming the admin", async () => {
      const { rows } = await db.query<{ actorLogin: string; after: unknown }>(
        `SELECT "actorLogin", parameters->'after'->'releaseGate' AS after FROM "AuditEntry"
          WHERE entry = 'policy-change' AND "pipelineId" = $1 ORDER BY id`,
        [pipeline.id],
      );
      expect(rows).toEqual([
        {
          actorLogin: admin.login,
          after: {
            enabled: true,
            branches: ["main", "release/*"],
            checks: "named",
            checkNames: ["build", "test (ubuntu)"],
            releaseOrder: "each",
          },
        },
      ]);
    });
  });

  test("a reader gets no release gate form, and the route refuses them", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const pipeline = await gatedPipeline({ db, codepipeline }, testInfo);
    const reader = await dedicated.githubUser();
    await signedInWith(page, reader, pipeline.repository, "read");
    await page.goto(`/repositories/${pipeline.repository}/settings`);
    await expect(page.getByRole("heading", { name: "Approval and command policy" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Release gates" })).toHaveCount(0);
    await expect(page.getByTestId("gate-enabled")).toHaveCount(0);

    const address = `/api/pipelines/${pipeline.id}/gate`;
    const read = await page.request.get(address);
    expect(read.status()).toBe(403);
    expect(((await read.json()) as { error: { message: string } }).error.message).toBe(
      `The release gate needs admin on ${pipeline.repository.toLowerCase()}; you have read`,
    );
    const change = await page.request.put(address, {
      headers: { origin: E2E.appUrl, "content-type": "application/json" },
      data: { enabled: true },
    });
    expect(change.status()).toBe(403);
    const { rows } = await db.query(`SELECT 1 FROM "ReleaseGate" WHERE "pipelineId" = $1`, [pipeline.id]);
    expect(rows).toHaveLength(0);
  });
});
