// A repository's GitHub write-back settings through the whole stack: its admin (as the GitHub stand-in says)
// turns commit statuses on and maps a stage to an environment on the repository's settings page, and finds both
// after a reload; a reader of the repository gets no such section, and the route refuses them.
import { E2E } from "./environment";
import { expect, jsonRequest, signInThroughGitHub, test } from "./fixtures";

/** The stand-in learns of the dedicated pipeline's repository before anyone is granted a role on it. */
const onGitHub = (repository: string) =>
  jsonRequest(`${E2E.githubUrl}/_stand-in/repositories`, { repositories: [repository] });

test.describe("GitHub write-back settings", () => {
  test("an admin turns commit statuses on and maps a stage to an environment; both stay after a reload", async ({
    page,
    db,
    dedicated,
  }) => {
    const pipeline = await dedicated.pipeline();
    const stage = pipeline.stages.at(-1) ?? "";
    await onGitHub(pipeline.repository);
    const admin = await dedicated.githubUser();
    await admin.grant(pipeline.repository, "admin");
    await signInThroughGitHub(page, admin.login);
    await page.goto(`/repositories/${pipeline.repository}/settings`);
    const section = page.getByRole("region", { name: "GitHub write-back" });
    const statuses = section.getByTestId("writeback-switch-statuses");
    const table = section.getByTestId(`writeback-pipeline-${pipeline.name}`);

    await test.step("statuses are left to the instance's default, then turned on", async () => {
      await expect(statuses).toHaveValue("");
      await expect(statuses.locator("option:checked")).toHaveText(/^Instance default: (on|off)$/);
      await statuses.selectOption("on");
      await section.getByRole("button", { name: "Save switches" }).click();
      await expect(section.getByRole("form", { name: "Write-back switches" }).getByRole("status")).toHaveText("Saved");
      await expect(section.getByTestId("writeback-effective-statuses")).toContainText("On");
      await expect(section.getByTestId("writeback-effective-statuses")).toContainText("set for this repository");
    });

    await test.step(`the ${stage} stage deploys to production-eu, a production environment`, async () => {
      await table.getByLabel(`${stage}: deploys to`).selectOption("environment");
      await table.getByLabel(`${stage}: environment`).fill("  production-eu ");
      await table.getByLabel(`${stage}: production`).check();
      await table.getByRole("button", { name: `Save ${pipeline.name}'s stages` }).click();
      await expect(table.getByRole("status")).toHaveText("Saved");
    });

    await test.step("after a reload the page shows what was stored", async () => {
      await page.reload();
      await expect(statuses).toHaveValue("on");
      await expect(table.getByLabel(`${stage}: deploys to`)).toHaveValue("environment");
      await expect(table.getByLabel(`${stage}: environment`)).toHaveValue("production-eu");
      await expect(table.getByLabel(`${stage}: production`)).toBeChecked();
      await expect(table.getByLabel(`${stage}: transient`)).not.toBeChecked();
    });

    await test.step("each save is in the audit log, naming the admin", async () => {
      const { rows } = await db.query<{ actorLogin: string; pipelineId: string | null }>(
        `SELECT "actorLogin", "pipelineId" FROM "AuditEntry"
          WHERE entry = 'policy-change' AND repository = $1 ORDER BY id`,
        [pipeline.repository.toLowerCase()],
      );
      expect(rows).toEqual([
        { actorLogin: admin.login, pipelineId: null },
        { actorLogin: admin.login, pipelineId: pipeline.id },
      ]);
    });
  });

  test("a reader gets no write-back section, and the route refuses them", async ({ page, dedicated }) => {
    const pipeline = await dedicated.pipeline();
    await onGitHub(pipeline.repository);
    const reader = await dedicated.githubUser();
    await reader.grant(pipeline.repository, "read");
    await signInThroughGitHub(page, reader.login);
    await page.goto(`/repositories/${pipeline.repository}/settings`);
    await expect(page.getByRole("heading", { name: "Approval and command policy" })).toBeVisible();
    await expect(page.getByRole("region", { name: "GitHub write-back" })).toHaveCount(0);
    await expect(page.getByTestId("writeback-settings")).toHaveCount(0);

    const address = `/api/repositories/${pipeline.repository}/writeback`;
    const read = await page.request.get(address);
    expect(read.status()).toBe(403);
    expect(((await read.json()) as { error: { message: string } }).error.message).toBe(
      `The write-back settings need admin on ${pipeline.repository.toLowerCase()}; you have read`,
    );
    const change = await page.request.put(address, {
      headers: { origin: E2E.appUrl, "content-type": "application/json" },
      data: { switches: { statuses: true } },
    });
    expect(change.status()).toBe(403);
  });
});
