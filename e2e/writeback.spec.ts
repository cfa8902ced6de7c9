import { randomUUID } from "node:crypto";
import { E2E } from "./environment";
import { expect, test } from "./fixtures";

// GitHub write-back in the running stack: Stageboard is the GitHub stand-in's demo App (installed on acme and
// globex), so the demo fleet's executions reach the commit pages as check runs; administrators see the queue.
test.describe("GitHub write-back", () => {
  test("the demo fleet's executions show on GitHub's commit page as check runs", async ({ page, db }) => {
    type Row = { repository: string; headSha: string; name: string; pipelineId: string; executionId: string };
    let sent: Row | undefined;
    await test.step("an execution's check run is sent", async () => {
      await expect
        .poll(
          async () => {
            const { rows } = await db.query<Row>(
              `SELECT repository, "headSha", desired->'checkRun'->>'name' AS name, "pipelineId", "executionId"
                 FROM "WritebackJob" WHERE state = 'delivered' AND kind = 'check-run.execution'
                ORDER BY "deliveredAt" DESC LIMIT 1`,
            );
            sent = rows[0];
            return sent !== undefined;
          },
          { timeout: 90_000, intervals: [1_000] },
        )
        .toBe(true);
    });
    if (!sent) return;
    const { repository, headSha, name, pipelineId, executionId } = sent;

    await test.step("GitHub's commit page lists it, linked to the execution in Stageboard", async () => {
      await page.goto(`${E2E.githubUrl}/${repository}/commit/${headSha}`);
      const run = page.getByTestId("check-run").filter({ hasText: name });
      await expect(run.first()).toBeVisible();
      const href = await run.first().getByTestId("check-run-details").getAttribute("href");
      expect(href).toBe(`${E2E.appUrl}/pipelines/${pipelineId}/executions/${executionId}`);
    });
  });

  test("an administrator sees the queue and what did not reach GitHub; nobody else finds the page", async ({
    page,
    users,
    db,
  }) => {
    const id = randomUUID();
    const error = `GitHub answered 422: Invalid request (${id.slice(0, 8)})`;
    const desired = {
      v: 1,
      kind: "check-run",
      checkRun: {
        name: `CodePipeline · e2e-${id.slice(0, 8)}`,
        headSha: "f".repeat(40),
        externalId: id,
        detailsUrl: `${E2E.appUrl}/pipelines/e2e/executions/${id}`,
        status: "completed",
        conclusion: "failure",
        startedAt: null,
        completedAt: null,
        title: "Failed",
        summary: "Failed.",
      },
    };
    await db.query(
      `INSERT INTO "WritebackJob" (id, repository, "headSha", "pipelineId", "executionId", kind, desired, state,
                                   attempts, "lastError", "lastStatusCode", "updatedAt")
       VALUES ($1, 'e2e-owner/app', $2, 'e2e', $1, 'check-run.execution', $3, 'dead', 1, $4, 422, now())`,
      [id, "f".repeat(40), JSON.stringify(desired), error],
    );

    const person = await users.create({ repositories: [] });
    await person.login(page);
    expect((await page.goto("/settings/writeback"))?.status()).toBe(404);

    const admin = await users.create({ repositories: [], isAdmin: true });
    await admin.login(page);
    await page.goto("/settings/writeback");
    await expect(page.getByRole("heading", { level: 1, name: "GitHub write-back" })).toBeVisible();
    await expect(page.getByTestId("writeback-count-dead")).toHaveText(/^[1-9]\d*$/);
    const row = page.getByTestId("writeback-job").filter({ hasText: desired.checkRun.name });
    await expect(row).toContainText("Dead letter");
    await expect(row).toContainText(error);
    await expect(row.getByRole("button", { name: "Retry" })).toBeEnabled();
  });
});
