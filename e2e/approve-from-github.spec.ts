// Approving from GitHub through the whole stack: while an execution waits at its manual approval, Stageboard's
// "Approval · <pipeline> · <stage>" check run on the commit offers Approve and Reject. On the stand-in's commit
// page, the person signed in on GitHub clicks; GitHub sends `check_run.requested_action` with them as the sender,
// and Stageboard decides it under the dashboard's own policy: linus, who only reads, is refused and the run says
// why; ada, an admin who wrote none of the change, approves, the execution goes on, and the run names her.
import type { Browser, Page } from "@playwright/test";
import { settle, script } from "./control-fixtures";
import { E2E } from "./environment";
import { expect, jsonRequest } from "./fixtures";
import { checkRunNamed, commitPageUrl, quickly } from "./gate-fixtures";
import { commitOf, test } from "./writeback-fixtures";

/** A person's own browser, signed in on GitHub (the stand-in) through its sign-in page, on the commit page. */
async function onGitHubAs(browser: Browser, login: string, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The buttons, and the link to sign in for them, show once the approval's check run is there.
  await untilShown(page, url, () => expect(page.getByTestId("check-run-sign-in")).toHaveCount(1, quickly));
  await page.getByTestId("check-run-sign-in").click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.githubUrl}/login\\?`));
  await page.getByRole("radio", { name: new RegExp(`@${login}\\)`) }).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId("signed-in-as")).toHaveText(`Signed in as @${login}`);
  return { context, page };
}

/** Reloads the commit page (moving the sandbox's work due now) until `check` holds. */
async function untilShown(page: Page, url: string, check: () => Promise<void>) {
  await expect(async () => {
    await settle();
    await page.goto(url);
    await check();
  }).toPass({ timeout: 60_000, intervals: [1_000] });
}

/** A summary as GitHub shows it: Markdown's escapes undone. */
const plain = (summary: string) => summary.replace(/\\(.)/g, "$1");

const grant = (login: string, repository: string, permission: string) =>
  jsonRequest(`${E2E.githubUrl}/_stand-in/grants`, { login, repository, permission });

test.describe("Approving from GitHub's commit page", () => {
  test("linus's click is refused with the reason; ada's approves and the execution moves on", async ({
    browser,
    codepipeline,
    writeback,
  }) => {
    const pipeline = await writeback.pipeline({ approval: true });
    await script(pipeline.name, "Build", "Succeeded");
    // Written by someone without a GitHub account, so ada's approval is not a self-approval.
    const { started } = await jsonRequest<{ started: { pipelineExecutionId: string }[] }>(
      `${E2E.sandboxUrl}/_sandbox/activity`,
      {
        pipelines: [pipeline.name],
        message: `Release ${pipeline.name}`,
        author: { name: "Priya Raman", email: "priya.raman@contractors.example" },
      },
    );
    const executionId = started[0]?.pipelineExecutionId ?? "";
    await settle();
    const sha = await commitOf(codepipeline, pipeline.name, executionId);
    const url = commitPageUrl(pipeline.repository, sha);
    const approvalName = `Approval · ${pipeline.name} · Approval`;
    // linus reads the test's repository, as he reads acme/web-app.
    await grant("linus", pipeline.repository, "read");
    const linus = await onGitHubAs(browser, "linus", url);
    const ada = await onGitHubAs(browser, "ada", url);
    try {
      await test.step("the approval's check run waits with Approve and Reject", async () => {
        const run = checkRunNamed(linus.page, approvalName);
        await untilShown(linus.page, url, async () => {
          await expect(run).toHaveAttribute("data-conclusion", "action_required", quickly);
          await expect(run.getByRole("button", { name: "Approve" })).toBeVisible(quickly);
        });
        await expect(run.getByRole("button", { name: "Reject" })).toBeVisible();
      });

      await test.step("linus clicks Approve and is refused: the check run says he needs write", async () => {
        const run = checkRunNamed(linus.page, approvalName);
        await run.getByRole("button", { name: "Approve" }).click();
        await expect(linus.page.getByTestId("requested-action-sent")).toContainText("Your request was sent to");
        await untilShown(linus.page, url, async () => {
          // The summary is Markdown as GitHub received it: its escapes are undone before reading it.
          const summary = (await run.getByTestId("check-run-summary").textContent(quickly)) ?? "";
          expect(plain(summary)).toContain(
            `Refused on GitHub:** @linus needs write on ${pipeline.repository.toLowerCase()}; they have read`,
          );
        });
        await expect(run).toHaveAttribute("data-conclusion", "action_required");
        await expect(run.getByRole("button", { name: "Approve" })).toBeVisible();
        const state = checkRunNamed(linus.page, `CodePipeline · ${pipeline.name}`);
        await expect(state.getByTestId("check-run-title")).toHaveText("Waiting for approval at Approval");
      });

      await test.step("ada clicks Approve: the execution moves on and the check run names her", async () => {
        const run = checkRunNamed(ada.page, approvalName);
        await ada.page.goto(url);
        await run.getByRole("button", { name: "Approve" }).click();
        await expect(ada.page.getByTestId("requested-action-sent")).toContainText("Your request was sent to");
        const execution = checkRunNamed(ada.page, `CodePipeline · ${pipeline.name}`);
        await untilShown(ada.page, url, async () => {
          await expect(run).toHaveAttribute("data-conclusion", "success", quickly);
          await expect(execution).toHaveAttribute("data-conclusion", "success", quickly);
        });
        expect(plain((await run.getByTestId("check-run-summary").textContent()) ?? "")).toContain(
          "Approved on GitHub by @ada",
        );
        await expect(run.getByRole("button")).toHaveCount(0);
        await expect(
          ada.page.locator(`[data-testid="deployment"][data-environment="Production"]`).getByTestId("deployment-state"),
        ).toHaveText("success");
      });
    } finally {
      await linus.context.close();
      await ada.context.close();
      await grant("linus", pipeline.repository, "none");
    }
  });
});
