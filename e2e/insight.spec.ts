import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { DEDICATED_PREFIX, expect, test } from "./fixtures";

// Insight end to end: a history written into the database as the sync engine stores it (on a target of its own, so
// no sync touches it), rolled up by the running app's feed consumer, and each insight page's figures checked against
// values computed here from that history; accessibility and screenshots in both colour schemes.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const body = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body, contentType: "image/png" });
  mkdirSync("test-results/insight", { recursive: true });
  writeFileSync(`test-results/insight/${name}.png`, body);
}

test("insight pages show DORA figures computed from the stored history, in light and dark", async ({
  page,
  users,
  db,
}, testInfo) => {
  test.setTimeout(180_000);
  const suffix = randomBytes(4).toString("hex");
  const repository = `acme/${DEDICATED_PREFIX}insight-${suffix}`;
  const pipelineId = `e2e_insight_${suffix}`;
  const targetId = `e2e-insight-${suffix}`;
  await db.query(`INSERT INTO "Target" (id, "accountId", region) VALUES ($1, '000000000000', 'eu-west-1')`, [targetId]);
  const repo = await db.query<{ id: string }>(
    `INSERT INTO "Repository" (id, "fullName", owner, name, "githubId", "githubIdSource", "githubIdPinnedAt", "githubFullName")
     VALUES ($1, $2, 'acme', $3, $4, 'user-repository-list', now(), $2) RETURNING id`,
    [`r_${suffix}`, repository, repository.split("/")[1], 800_000_000 + randomInt(90_000_000)],
  );
  await db.query(
    `INSERT INTO "Pipeline" (id, "targetId", name, version, "repositoryId", "updatedAt") VALUES ($1, $2, $3, 1, $4, now())`,
    [pipelineId, targetId, `${DEDICATED_PREFIX}insight-${suffix}`, repo.rows[0]!.id],
  );

  // Six executions a day apart, the third failing in production; durations in minutes.
  const now = Date.now();
  const history = [32, 40, 25, 36, 44, 30].map((minutes, i) => ({
    id: `x${i}`,
    start: new Date(now - (6 - i) * DAY - 2 * HOUR),
    minutes,
    failed: i === 2,
  }));
  for (const e of history) {
    const end = new Date(e.start.getTime() + e.minutes * 60_000);
    const buildEnd = new Date(e.start.getTime() + 10 * 60_000);
    const status = e.failed ? "Failed" : "Succeeded";
    const row = await db.query<{ id: string }>(
      `INSERT INTO "Execution" (id, "pipelineId", "executionId", status, "startTime", "lastUpdateTime", "commitSha", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
      [`${pipelineId}_${e.id}`, pipelineId, e.id, status, e.start, end, randomBytes(20).toString("hex")],
    );
    await db.query(
      `INSERT INTO "StageExecution" ("executionId", "stageName", status, "startTime", "endTime")
       VALUES ($1, 'Build', 'Succeeded', $2, $3), ($1, 'Prod', $4, $3, $5)`,
      [row.rows[0]!.id, e.start, buildEnd, status, end],
    );
  }

  // Computed here from the history: deployments, change fail rate, recovery, rework.
  const successes = history.filter((e) => !e.failed);
  const failure = history.find((e) => e.failed)!;
  const recovered = history[history.indexOf(failure) + 1]!;
  const recoveryMs =
    recovered.start.getTime() + recovered.minutes * 60_000 - (failure.start.getTime() + failure.minutes * 60_000);
  const expected = {
    deployments: String(successes.length),
    changeFailRate: `${((1 / history.length) * 100).toFixed(1)}%`,
    recovery: `${Math.floor(recoveryMs / DAY)}d ${Math.floor((recoveryMs % DAY) / HOUR)}h`,
    rework: `${((1 / successes.length) * 100).toFixed(1)}%`,
  };

  const user = await users.create({ repositories: [repository] });
  await user.login(page);
  const pages = [
    { path: `/pipelines/${pipelineId}/insights`, name: "pipeline" },
    { path: `/repositories/${repository}/insights`, name: "repository" },
    { path: "/insights", name: "all" },
  ];
  try {
    for (const { path, name } of pages) {
      await test.step(`${name} insight`, async () => {
        // The rollups follow the change feed: the page shows the history once the consumer has read it.
        await expect(async () => {
          await page.goto(path);
          await expect(page.getByTestId("figure-deployment-frequency-value")).toHaveText(
            new RegExp(`^${expected.deployments} `),
            { timeout: 1_000 },
          );
        }).toPass({ timeout: 60_000, intervals: [1_000] });
        await expect(page.getByTestId("figure-change-fail-rate-value")).toHaveText(expected.changeFailRate);
        await expect(page.getByTestId("figure-recovery-time-value")).toHaveText(expected.recovery);
        await expect(page.getByTestId("figure-rework-rate-value")).toHaveText(expected.rework);
        // No GitHub commits were read for this history: lead time says so rather than guessing.
        await expect(page.getByTestId("figure-lead-time")).toContainText("0 commit(s)");
        await expect(page.getByTestId("figure-change-fail-rate")).toContainText("Cannot see: incidents");
        await expect(page.getByRole("img", { name: /Production deployments per day/ })).toBeVisible();
        await expect(page.getByTestId("insight-rows")).toContainText(
          name === "pipeline" ? "Prod" : `${DEDICATED_PREFIX}insight-${suffix}`,
        );
        expect(await seriousViolations(page)).toEqual([]);
        await page.emulateMedia({ colorScheme: "light" });
        await keepScreenshot(page, testInfo, `insight-${name}-light`);
        await page.emulateMedia({ colorScheme: "dark" });
        expect(await seriousViolations(page)).toEqual([]);
        await keepScreenshot(page, testInfo, `insight-${name}-dark`);
        await page.emulateMedia({ colorScheme: "light" });
      });
    }

    await test.step("CSV export and the pipeline page's sparkline", async () => {
      const csv = await page.request.get(`/insights/export?scope=pipeline&id=${pipelineId}&period=30`);
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain(`figure,deployments,${expected.deployments}`);
      await page.goto(`/pipelines/${pipelineId}`);
      const rate = Math.round((successes.length / history.length) * 100);
      await expect(page.getByTestId("pipeline-sparkline")).toContainText(
        `${rate}% of the last ${history.length} succeeded`,
      );
    });
  } finally {
    await db.query(`DELETE FROM "Pipeline" WHERE id = $1`, [pipelineId]);
    await db.query(`DELETE FROM "Repository" WHERE id = $1`, [repo.rows[0]!.id]);
    await db.query(`DELETE FROM "Target" WHERE id = $1`, [targetId]);
    for (const table of ["InsightDaily", "InsightHistogram", "InsightDeployment", "InsightApplied"])
      await db.query(`DELETE FROM "${table}" WHERE "pipelineId" = $1`, [pipelineId]);
  }
});
