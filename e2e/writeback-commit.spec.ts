import type { Locator, Page } from "@playwright/test";
import { settle, script } from "./control-fixtures";
import { E2E } from "./environment";
import { expect } from "./fixtures";
import {
  BUILD_FAILURE,
  approveInAws,
  commitOf,
  pushCommit,
  test,
  wordsOf,
  type WritebackPipeline,
} from "./writeback-fixtures";

// What a newcomer sees on GitHub's commit page while Stageboard writes a live execution back: its check run going
// from in progress to its conclusion, and a deployment per environment stage as the execution reaches it. The
// stand-in's pages, like GitHub's for a repository one can read, need no sign-in here; Chromium reloads them, as
// GitHub's commit page is reloaded to see new checks.

const commitPage = (pipeline: WritebackPipeline, sha: string) =>
  `${E2E.githubUrl}/${pipeline.repository}/commit/${sha}`;
const checkRun = (page: Page, pipeline: WritebackPipeline) =>
  page.locator(`[data-testid="check-run"][data-name="CodePipeline · ${pipeline.name}"]`);
const deployment = (page: Page, environment: string) =>
  page.locator(`[data-testid="deployment"][data-environment="${environment}"]`);

/** Reloads the commit page until `check` holds (each look a short one, the whole wait a long one). */
async function untilPageShows(page: Page, url: string, check: () => Promise<void>) {
  await expect(async () => {
    await page.goto(url);
    await check();
  }).toPass({ timeout: 60_000, intervals: [1_000] });
}

const quickly = { timeout: 1_000 };
const expectState = (item: Locator, attribute: string, value: string) =>
  expect(item).toHaveAttribute(attribute, value, quickly);

test.describe("GitHub's commit page during a live execution", () => {
  test("the check run advances from in progress to success, deploying to Staging and then Production", async ({
    page,
    codepipeline,
    writeback,
  }) => {
    const pipeline = await writeback.pipeline({ approval: true });
    await script(pipeline.name, "Build", "Succeeded");
    const message = `Release ${pipeline.name}`;
    const executionId = await pushCommit(pipeline.name, message);
    await settle();
    const sha = await commitOf(codepipeline, pipeline.name, executionId);
    const url = commitPage(pipeline, sha);
    const run = checkRun(page, pipeline);

    await test.step("while it waits for approval: in progress, deployed to Staging, not yet to Production", async () => {
      await untilPageShows(page, url, async () => {
        await expectState(run, "data-status", "in_progress");
        await expectState(deployment(page, "Staging"), "data-state", "success");
      });
      await expect(page.getByTestId("commit-headline")).toHaveText(message);
      await expect(run.getByTestId("check-run-state")).toHaveText("in progress");
      await expect(run.getByTestId("check-run-title")).toHaveText("Waiting for approval at Approval");
      await expect(run.getByTestId("check-run-details")).toHaveAttribute(
        "href",
        `${E2E.appUrl}/pipelines/${pipeline.id}/executions/${executionId}`,
      );
      await expect(deployment(page, "Staging").getByTestId("deployment-state")).toHaveText("success");
      await expect(deployment(page, "Production")).toHaveCount(0);
    });

    await test.step("approved, it deploys to Production and the check run succeeds", async () => {
      await approveInAws(codepipeline, pipeline.name, executionId);
      await settle();
      await untilPageShows(page, url, async () => {
        await expectState(run, "data-conclusion", "success");
        await expectState(deployment(page, "Production"), "data-state", "success");
      });
      await expect(run).toHaveAttribute("data-status", "completed");
      await expect(run.getByTestId("check-run-state")).toHaveText("success");
      await expect(run.getByTestId("check-run-title")).toHaveText(/^Succeeded/);
      await expect(deployment(page, "Staging")).toHaveCount(1);
      await expect(deployment(page, "Staging").getByTestId("deployment-state")).toHaveText("success");
      await expect(deployment(page, "Production")).toHaveCount(1);
      await expect(deployment(page, "Production").getByTestId("deployment-state")).toHaveText("success");
      await expect(page.getByTestId("checks-verdict")).toHaveAttribute("data-verdict", "passing");
    });
  });

  test("a failed execution's check run is a failure that shows the failing action's error", async ({
    page,
    codepipeline,
    writeback,
  }) => {
    const pipeline = await writeback.pipeline({ approval: false });
    const message = `Break ${pipeline.name}`;
    const executionId = await pushCommit(pipeline.name, message);
    await settle();
    const sha = await commitOf(codepipeline, pipeline.name, executionId);
    const run = checkRun(page, pipeline);
    const summary = run.getByTestId("check-run-summary");
    const error = wordsOf(BUILD_FAILURE).join(" ");

    // The failure can be written before the failed action's details are read from AWS: the summary catches up.
    await untilPageShows(page, commitPage(pipeline, sha), async () => {
      await expectState(run, "data-conclusion", "failure");
      expect(wordsOf((await summary.textContent(quickly)) ?? "").join(" ")).toContain(error);
    });
    await expect(page.getByTestId("commit-headline")).toHaveText(message);
    await expect(run.getByTestId("check-run-state")).toHaveText("failure");
    await expect(run.getByTestId("check-run-title")).toHaveText("Failed at Build");
    await expect(page.getByTestId("checks-verdict")).toHaveAttribute("data-verdict", "failing");
    // Build failed, so no environment stage ran: nothing was deployed.
    await expect(page.getByTestId("deployment")).toHaveCount(0);
  });
});
