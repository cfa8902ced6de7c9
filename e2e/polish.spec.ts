// The dashboard reads like GitHub: connection summaries as commit messages, triggers in words,
// commit links on the GitHub host, tab titles with the pipeline's status, the account menu (also on
// a phone), absolute times on hover and GitHub's "/" and "?" keys. Reads the demo fleet only.
import type pg from "pg";
import { DEDICATED_PREFIX, expect, test } from "./fixtures";
import { E2E } from "./environment";

type Row = { id: string; name: string; repository: string; latestStatus: string | null };

/** A synced, mapped fleet pipeline on a CodeStar connection with a few executions that carry commits. */
async function connectionPipeline(db: pg.Client): Promise<Row> {
  let row: Row | undefined;
  await expect
    .poll(
      async () => {
        const { rows } = await db.query<Row>(
          `SELECT p.id, p.name, r."fullName" AS repository, p."latestStatus"
             FROM "Pipeline" p JOIN "Repository" r ON r.id = p."repositoryId"
            WHERE p."deletedAt" IS NULL AND p."sourceConnectionArn" IS NOT NULL AND p.name NOT LIKE $1
              AND (SELECT count(*) FROM "Execution" e WHERE e."pipelineId" = p.id AND e."commitSha" IS NOT NULL) >= 2
              AND EXISTS (SELECT 1 FROM "ActionExecution" a JOIN "Execution" e ON e.id = a."executionId"
                           WHERE e."pipelineId" = p.id AND a."externalExecutionSummary" LIKE '{%CommitMessage%')
            ORDER BY p.name LIMIT 1`,
          [`${DEDICATED_PREFIX}%`],
        );
        row = rows[0];
        return row !== undefined;
      },
      { message: "a synced connection-sourced pipeline", timeout: 90_000 },
    )
    .toBe(true);
  if (!row) throw new Error("no connection pipeline");
  return row;
}

test.describe("polish", () => {
  test("summaries, triggers, commit links, titles and times read like GitHub", async ({ page, users, db, sandbox }) => {
    test.slow();
    const pipeline = await connectionPipeline(db);
    const user = await users.create({ repositories: await sandbox.fleetRepositories() });
    await user.login(page);

    await test.step("the overview has its own title", async () => {
      await page.goto("/");
      await expect(page).toHaveTitle("Pipelines · Stageboard");
    });

    await test.step("the pipeline's tab says its status", async () => {
      await page.goto(`/pipelines/${pipeline.id}`);
      await expect(page.getByTestId("action").first()).toBeVisible();
      // The fleet is live: the title follows the newest execution, so compare with it as it is now.
      const expected = (status: string | null) =>
        status === "Succeeded"
          ? `✓ ${pipeline.name} · Stageboard`
          : status === "Failed"
            ? `Failed · ${pipeline.name} · Stageboard`
            : status === "InProgress"
              ? `In progress · ${pipeline.name} · Stageboard`
              : null;
      await expect
        .poll(async () => {
          const { rows } = await db.query<{ status: string }>(
            `SELECT status FROM "Execution" WHERE "pipelineId" = $1 ORDER BY "startTime" DESC LIMIT 1`,
            [pipeline.id],
          );
          const title = await page.title();
          const want = expected(rows[0]?.status ?? null);
          return want === null ? title.endsWith(`${pipeline.name} · Stageboard`) : title === want;
        })
        .toBe(true);
    });

    await test.step("the graph shows the connection's commit message, never its JSON", async () => {
      await page.goto(`/pipelines/${pipeline.id}/executions`);
      const href = await page
        .getByRole("link", { name: /^Execution / })
        .first()
        .getAttribute("href");
      const executionId = decodeURIComponent(href?.split("/").pop() ?? "");
      const { rows } = await db.query<{ summary: string }>(
        `SELECT a."externalExecutionSummary" AS summary FROM "ActionExecution" a JOIN "Execution" e ON e.id = a."executionId"
          WHERE e."pipelineId" = $1 AND e."executionId" = $2 AND a."externalExecutionSummary" LIKE '{%CommitMessage%' LIMIT 1`,
        [pipeline.id, executionId],
      );
      await page.goto(`/pipelines/${pipeline.id}?execution=${encodeURIComponent(executionId)}`);
      await expect(page.getByTestId("action").first()).toBeVisible();
      await expect(page.locator("main")).not.toContainText("CommitMessage");
      await expect(page.locator("main")).not.toContainText('"ProviderType"');
      if (rows[0]) {
        const message = (JSON.parse(rows[0].summary) as { CommitMessage: string }).CommitMessage.split("\n")[0]?.trim();
        await expect(
          page
            .getByTestId("action-summary")
            .filter({ hasText: message ?? "" })
            .first(),
        ).toBeVisible();
      }

      await page.goto(`/pipelines/${pipeline.id}/executions/${encodeURIComponent(executionId)}`);
      await expect(page.getByTestId("timeline")).toBeVisible();
      await expect(page.locator("main")).not.toContainText("CommitMessage");
      await expect(page).toHaveTitle(
        new RegExp(`^Execution ${executionId.slice(0, 8)} · .*${pipeline.name} · Stageboard$`),
      );
      const { rows: commits } = await db.query<{ sha: string | null; previous: string | null }>(
        `SELECT e."commitSha" AS sha,
                (SELECT p."commitSha" FROM "Execution" p WHERE p."pipelineId" = e."pipelineId" AND p."startTime" < e."startTime"
                    AND p."commitSha" IS NOT NULL ORDER BY p."startTime" DESC LIMIT 1) AS previous
           FROM "Execution" e WHERE e."pipelineId" = $1 AND e."executionId" = $2`,
        [pipeline.id, executionId],
      );
      const commit = commits[0];
      if (commit?.sha && commit.previous && commit.previous !== commit.sha) {
        await expect(page.getByRole("link", { name: /^compare/ })).toHaveAttribute(
          "href",
          new RegExp(`/compare/${commit.previous}\\.\\.\\.${commit.sha}$`),
        );
      }
      const trigger = page.getByTestId("execution-trigger");
      await expect(trigger).not.toContainText("arn:");
      await expect(trigger).not.toHaveText(/^(WebhookV2|Webhook|StartPipelineExecution|CloudWatchEvent)$/);
    });

    await test.step("history: triggers in words, SHAs linked to the commit, compare with the previous one", async () => {
      await page.goto(`/pipelines/${pipeline.id}/executions`);
      await expect(page).toHaveTitle(/^History · .* · Stageboard$/);
      const triggers = await page.getByTestId("execution-trigger").allInnerTexts();
      expect(triggers.length).toBeGreaterThan(0);
      for (const text of triggers) {
        expect(text).not.toContain("arn:");
        expect(text).not.toMatch(/^(WebhookV2|StartPipelineExecution|CloudWatchEvent|PollForSourceChanges)$/);
      }
      const { rows } = await db.query<{ commitSha: string | null; commitUrl: string | null }>(
        `SELECT "commitSha", "commitUrl" FROM "Execution" WHERE "pipelineId" = $1 ORDER BY "startTime" DESC, id LIMIT 2`,
        [pipeline.id],
      );
      const [newest, previous] = rows;
      const first = page.getByTestId("execution-row").first();
      if (newest?.commitSha && newest.commitUrl?.startsWith(`${E2E.githubUrl}/`)) {
        // On the configured GitHub host (the stand-in here), under the pipeline's repository.
        expect(newest.commitUrl.toLowerCase()).toBe(
          `${E2E.githubUrl}/${pipeline.repository}/commit/${newest.commitSha}`.toLowerCase(),
        );
        await expect(first.getByRole("link", { name: new RegExp(`^${newest.commitSha.slice(0, 7)}`) })).toHaveAttribute(
          "href",
          newest.commitUrl,
        );
        if (previous?.commitSha && previous.commitSha !== newest.commitSha) {
          await expect(first.getByRole("link", { name: /^compare/ })).toHaveAttribute(
            "href",
            newest.commitUrl.replace(/\/commit\/[0-9a-f]+$/, `/compare/${previous.commitSha}...${newest.commitSha}`),
          );
        }
      }
      // Relative times carry the absolute one on hover.
      const time = first.locator("time");
      await expect(time).toHaveAttribute("title", /\d{4}, \d{2}:\d{2}:\d{2} UTC$/);
      await expect(time).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
    });
  });

  test("account menu by keyboard, one header line on a phone", async ({ page, users }) => {
    const user = await users.create({ repositories: [] });
    await user.login(page);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/approvals");
    await expect(page).toHaveTitle("Approvals · Stageboard");

    const oneHeaderLine = async () => {
      const nav = page.getByRole("navigation", { name: "Main" });
      const brand = nav.getByRole("link", { name: "Stageboard" });
      const menuButton = nav.getByRole("button", { name: /^Account menu/ });
      const approvals = nav.getByRole("link", { name: /^Approvals/ });
      const [a, b, c] = await Promise.all([brand.boundingBox(), menuButton.boundingBox(), approvals.boundingBox()]);
      expect(a && b && c).toBeTruthy();
      // Same row: vertical centres within a few pixels of each other.
      const centre = (box: { y: number; height: number }) => box.y + box.height / 2;
      expect(Math.abs(centre(a!) - centre(b!))).toBeLessThan(6);
      expect(Math.abs(centre(a!) - centre(c!))).toBeLessThan(6);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    };

    await test.step("the header stays on one line at 375 px", oneHeaderLine);

    await test.step("an administrator's header too, the GitHub App link inside the menu", async () => {
      const admin = await users.create({ repositories: [], isAdmin: true });
      const adminPage = await page
        .context()
        .browser()!
        .newPage({ viewport: { width: 375, height: 740 } });
      await admin.login(adminPage);
      await adminPage.goto("/approvals");
      const nav = adminPage.getByRole("navigation", { name: "Main" });
      expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await nav.getByRole("button", { name: /^Account menu/ }).click();
      await expect(nav.getByRole("link", { name: "Settings: GitHub App" })).toBeVisible();
      await adminPage.close();
    });

    await test.step("the menu opens, walks and closes from the keyboard", async () => {
      const menuButton = page.getByRole("button", { name: /^Account menu/ });
      await menuButton.focus();
      await page.keyboard.press("Enter");
      await expect(menuButton).toHaveAttribute("aria-expanded", "true");
      const signOut = page.getByRole("button", { name: "Sign out", exact: true });
      const everywhere = page.getByRole("button", { name: "Sign out everywhere" });
      await expect(signOut).toBeVisible();
      await expect(everywhere).toBeVisible();
      await page.keyboard.press("End");
      await expect(everywhere).toBeFocused();
      await page.keyboard.press("ArrowDown");
      // Wraps round to the first item.
      await expect(page.locator("[data-menu-items] a, [data-menu-items] button").first()).toBeFocused();
      await page.keyboard.press("Escape");
      await expect(menuButton).toHaveAttribute("aria-expanded", "false");
      await expect(menuButton).toBeFocused();
      await expect(signOut).toHaveCount(0);
    });
  });

  test("/ focuses the search box, ? lists the shortcuts, not while typing", async ({ page, users, sandbox }) => {
    const user = await users.create({ repositories: await sandbox.fleetRepositories() });
    await user.login(page);
    await page.goto("/");
    await expect(page.locator('input[name="q"]').first()).toBeVisible();
    const searchFocused = () =>
      page.evaluate(
        () => document.activeElement?.matches('[data-shortcut-search], input[type="search"], input[name="q"]') ?? false,
      );

    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await expect(async () => {
      await page.keyboard.press("/");
      expect(await searchFocused()).toBe(true);
    }).toPass({ timeout: 20_000 });
    await page.evaluate(() => {
      (document.activeElement as HTMLInputElement).value = "";
    });
    await page.keyboard.type("?/");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toContain("?/");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);

    await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      input.value = "";
      input.blur();
    });
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Focus the search box");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    await test.step("on another page, / focuses the header's search box", async () => {
      await page.goto("/approvals");
      await expect(page.getByRole("heading", { level: 1, name: "Approvals" })).toBeVisible();
      // Pressed again until the page has hydrated and listens.
      await expect(async () => {
        await page.keyboard.press("/");
        expect(await searchFocused()).toBe(true);
      }).toPass({ timeout: 20_000 });
      await expect(page).toHaveURL(`${E2E.appUrl}/approvals`);
    });
  });
});
