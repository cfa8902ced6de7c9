// The dashboard end to end, on the sandbox fleet synced by the real engine: navigation from the
// overview down to one execution, live movement without a reload, a disabled transition, AWS
// strings rendered as text, accessibility, and screenshots of the pipeline page in both schemes.
// Tests that change a pipeline (its transitions, new executions) do it on a pipeline of their own; the one
// that moves the sandbox's clock, which moves every pipeline, is @serial.
import { mkdirSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import {
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import type { Page, TestInfo } from "@playwright/test";
import type pg from "pg";
import { DEDICATED_PREFIX, expect, test } from "./fixtures";

type PipelineRow = { id: string; name: string; stages: string[] };

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const body = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body, contentType: "image/png" });
  mkdirSync("test-results/dashboard", { recursive: true });
  writeFileSync(`test-results/dashboard/${name}.png`, body);
}

test.describe("dashboard", () => {
  let repositories: string[] = [];

  test.beforeEach(async ({ sandbox }) => {
    repositories = await sandbox.fleetRepositories();
  });

  /** A synced pipeline of the demo fleet with at least `minStages` stages (synced rows, so the engine has caught up). */
  async function syncedPipeline(db: pg.Client, minStages: number): Promise<PipelineRow> {
    let row: PipelineRow | undefined;
    await expect
      .poll(
        async () => {
          const { rows } = await db.query<PipelineRow>(
            `SELECT p.id, p.name, array_agg(s.name ORDER BY s.position) AS stages FROM "Pipeline" p JOIN "Stage" s ON s."pipelineId" = p.id
         WHERE p."repositoryId" IS NOT NULL AND p."deletedAt" IS NULL AND p.name NOT LIKE $2 GROUP BY p.id HAVING count(*) >= $1 ORDER BY p.name LIMIT 1`,
            [minStages, `${DEDICATED_PREFIX}%`],
          );
          row = rows[0];
          return row !== undefined;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    if (!row) throw new Error("no synced pipeline");
    return row;
  }

  test("overview → repository → pipeline graph → execution detail, accessible on the way", async ({
    page,
    users,
    db,
  }, testInfo) => {
    // Four accessibility passes, two screenshots and six pages: more than one test's budget on a busy machine.
    test.slow();
    await syncedPipeline(db, 2);
    const user = await users.create({ repositories });
    await user.login(page);

    await test.step("overview lists repositories with their pipelines", async () => {
      await page.goto("/");
      await expect(page.getByTestId("pipeline").first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    await test.step("filters live in the URL", async () => {
      const name =
        (await page.getByTestId("repository").first().getByRole("heading", { level: 2 }).textContent()) ?? "";
      await page.getByRole("searchbox", { name: "Search" }).fill(name);
      await page.getByRole("button", { name: "Apply" }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(name).replace(/%20/g, "\\+")}`));
      await expect(page.getByTestId("repository").first().getByRole("heading", { level: 2 })).toHaveText(name);
      await page.reload();
      await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(name);
    });

    await test.step("repository page: pipelines, what is deployed where, recent executions", async () => {
      await page.getByTestId("repository").first().getByRole("heading", { level: 2 }).getByRole("link").click();
      await expect(page).toHaveURL(/\/repositories\/[^/]+\/[^/]+$/);
      await expect(page.getByRole("heading", { name: "What is deployed where" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Recent executions" })).toBeVisible();
    });

    await test.step("pipeline page: stage graph beside the pipeline's details", async () => {
      await page.getByTestId("pipeline").first().getByRole("link").first().click();
      await expect(page).toHaveURL(/\/pipelines\/[^/?]+$/);
      await expect(page.getByTestId("stage-graph")).toBeVisible();
      expect(await page.getByTestId("stage").count()).toBeGreaterThan(1);
      await expect(page.getByRole("complementary", { name: "Pipeline details" })).toContainText("Execution mode");
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: "light" });
      await keepScreenshot(page, testInfo, "pipeline-light");
      await page.emulateMedia({ colorScheme: "dark" });
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(250, 250, 250)");
      await keepScreenshot(page, testInfo, "pipeline-dark");
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: "light" });
    });

    await test.step("execution page: summary, commits and timeline", async () => {
      await page
        .getByTestId("stage")
        .getByRole("link", { name: /^Execution / })
        .first()
        .click();
      await expect(page).toHaveURL(/\/pipelines\/[^/]+\/executions\/[^/]+$/);
      await expect(page.getByTestId("timeline")).toBeVisible();
      expect(await page.getByTestId("timeline-row").count()).toBeGreaterThan(0);
      await expect(page.getByRole("heading", { name: "Commits" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    await test.step("history page pages through executions by cursor", async () => {
      await page.getByRole("link", { name: "History" }).click();
      await expect(page.getByTestId("execution-row").first()).toBeVisible();
      const older = page.getByRole("link", { name: "Older →" });
      if (await older.count()) {
        const first = await page.getByTestId("execution-row").first().textContent();
        await older.click();
        await expect(page).toHaveURL(/cursor=/);
        expect(await page.getByTestId("execution-row").first().textContent()).not.toBe(first);
      }
    });
  });

  // Moves the sandbox's clock, which every pipeline runs on: alone, after the other specs (playwright.config.ts).
  test(
    "a running execution advances on the open page without a reload",
    { tag: "@serial" },
    async ({ page, users, sandbox, dedicated, codepipeline }) => {
      const pipeline = await dedicated.pipeline();
      const user = await users.create({ repositories: [pipeline.repository] });
      await user.login(page);
      // The page moves on the live stream (GET /api/stream), not by polling.
      const polls: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname === "/api/changes") polls.push(request.url());
      });
      await page.goto(`/pipelines/${pipeline.id}`);
      await expect(page.getByTestId("stage-graph")).toBeVisible();
      await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

      // A new pipeline runs once right away; that run waits in its source stage until the clock moves.
      const { pipelineExecutionSummaries } = await codepipeline.send(
        new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
      );
      const executionId = pipelineExecutionSummaries?.[0]?.pipelineExecutionId ?? "";
      expect(executionId).not.toBe("");
      const reached = page.locator(`[data-testid="stage"][data-execution="${executionId}"]`);
      const progress = async () =>
        (
          await reached.evaluateAll((els) =>
            els.map((el) => `${el.getAttribute("data-stage")}:${el.getAttribute("data-status")}`),
          )
        ).join(",");

      // Within the engine's longest deferral of a running pipeline's check (24 active intervals).
      await expect.poll(progress, { timeout: 40_000 }).not.toBe("");
      const first = await progress();
      await expect
        .poll(
          async () => {
            await sandbox.advance(30_000);
            return progress();
          },
          { timeout: 60_000, intervals: [1_000] },
        )
        .not.toBe(first);
      expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(
        true,
      );
      expect(polls).toEqual([]);
    },
  );

  test("a disabled transition is drawn broken with its reason", async ({
    page,
    users,
    db,
    dedicated,
    codepipeline: client,
  }) => {
    const pipeline = await dedicated.pipeline();
    const stage = pipeline.stages[pipeline.stages.length - 1] ?? "";
    // AWS allows only [a-zA-Z0-9!@ ().*?-] in a reason; markup in AWS strings is covered by the commit test.
    const reason = "Release freeze (ask @ada) - QA!";
    const user = await users.create({ repositories: [pipeline.repository] });
    await user.login(page);
    await client.send(
      new DisableStageTransitionCommand({
        pipelineName: pipeline.name,
        stageName: stage,
        transitionType: "Inbound",
        reason,
      }),
    );
    try {
      // No event announces a transition change: Stageboard stores it at its next check of the pipeline. What
      // is drawn is tested here on a page opened after that; an open page following changes is tested above.
      await expect
        .poll(
          async () =>
            (
              await db.query<{ transitionEnabled: boolean; disabledReason: string | null }>(
                `SELECT "transitionEnabled", "disabledReason" FROM "Stage" WHERE "pipelineId" = $1 AND name = $2`,
                [pipeline.id, stage],
              )
            ).rows[0],
          { message: "Stageboard stores the disabled transition", timeout: 60_000 },
        )
        .toEqual({ transitionEnabled: false, disabledReason: reason });
      await page.goto(`/pipelines/${pipeline.id}`);
      await expect(page.getByTestId("stage-graph")).toBeVisible();
      const broken = page.getByRole("group", { name: `Transition into ${stage} is disabled` });
      await expect(broken).toBeVisible();
      await expect(broken.getByTestId("transition-reason")).toHaveText(`“${reason}”`);
      await expect(
        page.getByTestId("stage").filter({ has: page.getByRole("heading", { name: stage, exact: true }) }),
      ).toBeVisible();
    } finally {
      await client.send(
        new EnableStageTransitionCommand({ pipelineName: pipeline.name, stageName: stage, transitionType: "Inbound" }),
      );
    }
  });

  test("a commit message containing HTML is shown as text", async ({
    page,
    users,
    db,
    sandbox,
    dedicated,
    codepipeline,
  }) => {
    const pipeline = await dedicated.pipeline();
    const user = await users.create({ repositories: [pipeline.repository] });
    await user.login(page);
    page.on("dialog", (dialog) => {
      throw new Error(`a script ran: ${dialog.message()}`);
    });
    // Each push gets a commit message drawn from the sandbox's catalogue, one in ten with markup: push to
    // this pipeline until one carries some (200 pushes all without: about 1 in 10^9).
    let executionId: string | undefined;
    for (let push = 0; push < 200 && !executionId; push++) {
      const { started } = await sandbox.control<{ started: { pipelineExecutionId: string }[] }>("activity", {
        pipelines: [pipeline.name],
      });
      const id = started[0]?.pipelineExecutionId ?? "";
      const { pipelineExecution } = await codepipeline.send(
        new GetPipelineExecutionCommand({ pipelineName: pipeline.name, pipelineExecutionId: id }),
      );
      if (/<(img|script)/.test(pipelineExecution?.artifactRevisions?.[0]?.revisionSummary ?? "")) executionId = id;
    }
    if (!executionId) throw new Error("no commit with markup");
    let commitMessage = "";
    await expect
      .poll(
        async () => {
          const { rows } = await db.query<{ commitMessage: string | null }>(
            `SELECT "commitMessage" FROM "Execution" WHERE "pipelineId" = $1 AND "executionId" = $2`,
            [pipeline.id, executionId],
          );
          commitMessage = rows[0]?.commitMessage ?? "";
          return commitMessage;
        },
        { message: "Stageboard syncs the execution whose commit carries markup", timeout: 45_000 },
      )
      .toMatch(/<(img|script)/);
    await page.goto(`/pipelines/${pipeline.id}/executions/${executionId}`);
    const message = page.getByTestId("execution-commit-message");
    await expect(message).toContainText(commitMessage.split("\n")[0] ?? "");
    expect(await message.locator("img, script").count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  test("pipelines outside the viewer's repositories answer 404, pages and API alike", async ({ page, users, db }) => {
    const pipeline = await syncedPipeline(db, 1);
    const outsider = await users.create({ repositories: ["nobody/nothing"] });
    await outsider.login(page);
    expect((await page.goto(`/pipelines/${pipeline.id}`))?.status()).toBe(404);
    expect((await page.goto(`/pipelines/${pipeline.id}/executions`))?.status()).toBe(404);
    expect((await page.request.get(`/api/pipelines/${pipeline.id}`)).status()).toBe(404);
    const changes = await page.request.get(`/api/changes?pipeline=${pipeline.id}`);
    expect(changes.status()).toBe(200);
    expect(((await changes.json()) as { data: { token: string } }).data.token).toMatch(/^[\w-]{22}$/);
  });

  test("the overview fits a phone screen", async ({ page, users, db }) => {
    await syncedPipeline(db, 1);
    const user = await users.create({ repositories });
    await user.login(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/");
    await expect(page.getByTestId("pipeline").first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toMatch(/^(A|INPUT|BUTTON|SELECT)$/);
  });
});
