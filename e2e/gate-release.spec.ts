// Check-gated releases through the whole stack: a commit is pushed on GitHub (the stand-in), GitHub Actions runs its
// jobs there and GitHub's webhooks reach Stageboard, whose release gate starts the pipeline for exactly that commit
// once every other check has passed, and says so on the commit with its "Release gate · <pipeline>" check run; a
// commit with a failed check is not released, and the check run names the check that failed.
import { GetPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { E2E } from "./environment";
import { expect } from "./fixtures";
import {
  checkRunNamed,
  commitPageUrl,
  executionsOf,
  pushToGitHub,
  quickly,
  runWorkflow,
  test,
  untilCommitPageShows,
} from "./gate-fixtures";

test.describe("A release gate on GitHub's checks", () => {
  test("a commit whose checks pass starts the pipeline for exactly that commit", async ({
    page,
    codepipeline,
    gate,
  }) => {
    const pipeline = await gate.pipeline();
    const message = `Ship ${pipeline.name}`;
    const sha = await pushToGitHub(pipeline, message);
    const url = commitPageUrl(pipeline.repository, sha);
    const run = checkRunNamed(page, `Release gate · ${pipeline.name}`);

    await test.step("while GitHub Actions runs, the gate waits and nothing is started", async () => {
      await runWorkflow(pipeline, sha, [
        { name: "build", conclusion: "success", afterMs: 0 },
        { name: "test", conclusion: "success", afterMs: 3_000 },
      ]);
      await untilCommitPageShows(page, url, async () => {
        await expect(run).toHaveAttribute("data-status", "in_progress", quickly);
      });
      await expect(run.getByTestId("check-run-title")).toHaveText(/^Waiting for \d+ checks?$/);
    });

    await test.step("once both jobs passed, the gate's check run says released and links the execution", async () => {
      await untilCommitPageShows(page, url, async () => {
        await expect(run).toHaveAttribute("data-conclusion", "success", quickly);
      });
      await expect(run.getByTestId("check-run-title")).toHaveText("Released");
      await expect(run.getByTestId("check-run-summary")).toContainText("Released by the gate");
      await expect(run.getByTestId("check-run-details")).toHaveAttribute(
        "href",
        new RegExp(`^${E2E.appUrl}/pipelines/${pipeline.id}/executions/[0-9a-f-]+$`),
      );
    });

    await test.step("AWS has one execution, started by Stageboard for exactly that commit", async () => {
      const started = await executionsOf(codepipeline, pipeline, sha);
      expect(started).toHaveLength(1);
      const [execution] = started;
      expect(execution?.trigger?.triggerType).toBe("StartPipelineExecution");
      const { pipelineExecution } = await codepipeline.send(
        new GetPipelineExecutionCommand({
          pipelineName: pipeline.name,
          pipelineExecutionId: execution?.pipelineExecutionId,
        }),
      );
      expect(pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(sha);
      const href = await run.getByTestId("check-run-details").getAttribute("href");
      expect(href?.endsWith(`/executions/${execution?.pipelineExecutionId}`)).toBe(true);
    });

    await test.step("the admin follows the link to the execution, which shows the commit", async () => {
      await run.getByTestId("check-run-details").click();
      await expect(page).toHaveURL(new RegExp(`^${E2E.appUrl}/pipelines/${pipeline.id}/executions/`));
      await expect(page.getByText(sha.slice(0, 7)).first()).toBeVisible();
    });
  });

  test("a commit with a failed check is not released, and the gate's check run names the check", async ({
    page,
    codepipeline,
    gate,
  }) => {
    const pipeline = await gate.pipeline();
    const sha = await pushToGitHub(pipeline, `Break ${pipeline.name}`);
    const url = commitPageUrl(pipeline.repository, sha);
    const run = checkRunNamed(page, `Release gate · ${pipeline.name}`);
    await runWorkflow(pipeline, sha, [
      { name: "build", conclusion: "success", afterMs: 0 },
      { name: "lint", conclusion: "failure", afterMs: 1_000 },
    ]);

    await untilCommitPageShows(page, url, async () => {
      await expect(run).toHaveAttribute("data-conclusion", "failure", quickly);
    });
    await expect(run.getByTestId("check-run-title")).toHaveText("Not released: lint failed");
    const summary = run.getByTestId("check-run-summary");
    await expect(summary).toContainText(/Failed\W+lint/);
    await expect(summary).toContainText(/Passed\W+build/);
    await expect(page.getByTestId("checks-verdict")).toHaveAttribute("data-verdict", "failing");
    // The gate has decided (its run is completed): nothing was started for this commit.
    expect(await executionsOf(codepipeline, pipeline, sha)).toHaveLength(0);
  });
});
