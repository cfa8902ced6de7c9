// Pipeline control from Stageboard, signed in through the GitHub stand-in as a person GitHub gives the
// permission the policy asks for: retry a failed stage, disable a transition with a reason (drawn broken
// with it) and enable it again, release a chosen commit. Each command reaches the sandbox as the person,
// shows on the open page without a reload, and is audited with their GitHub login.
import { GetPipelineStateCommand, ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import type pg from "pg";
import { controlPipeline, expectSamePage, markPage, script, settle, signedInWith, stageCard } from "./control-fixtures";
import { expect, test } from "./fixtures";

type AuditRow = { action: string; outcome: string; login: string; words: string };

test.describe("pipeline control", () => {
  test("a writer retries a failed stage and sees it run again without a reload", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const pipeline = await controlPipeline({ db, codepipeline }, testInfo, { failing: ["Build"] });
    const person = await dedicated.githubUser();
    await signedInWith(page, person, pipeline.repository, "write");
    await page.goto(`/pipelines/${pipeline.id}`);
    const build = stageCard(page, "Build");
    await expect(build).toHaveAttribute("data-status", "Failed", { timeout: 40_000 });
    await markPage(page);

    // The next attempt succeeds.
    await script(pipeline.name, "Build", "Succeeded");
    await build.getByRole("button", { name: "Retry stage Build" }).click();
    const dialog = page.getByRole("dialog", { name: "Retry stage" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("radio", { name: "Failed actions only" }).check();
    await dialog.getByRole("button", { name: "Retry", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(build).toHaveAttribute("data-status", "InProgress");
    await settle();
    await expect(build).toHaveAttribute("data-status", "Succeeded");
    await expect(stageCard(page, "Deploy")).toHaveAttribute("data-status", /InProgress|Succeeded/);
    await expectSamePage(page);

    const { stageStates } = await codepipeline.send(new GetPipelineStateCommand({ name: pipeline.name }));
    expect(stageStates?.find((s) => s.stageName === "Build")?.latestExecution?.status).toMatch(/InProgress|Succeeded/);
    await expect
      .poll(async () => (await auditRows(db, pipeline.id)).map((r) => `${r.action}:${r.outcome}:${r.login}`))
      .toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^retry-stage:.*:${person.login}$`))]));
  });

  test("a maintainer disables a transition with a reason, sees it drawn broken, and enables it", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const pipeline = await controlPipeline({ db, codepipeline }, testInfo);
    const person = await dedicated.githubUser();
    await signedInWith(page, person, pipeline.repository, "maintain");
    await page.goto(`/pipelines/${pipeline.id}`);
    await expect(page.getByTestId("stage-graph")).toBeVisible();
    await markPage(page);
    // Past AWS's pattern: Stageboard keeps these words in its audit log and sends AWS a version that fits.
    const reason = "Freeze until Monday (ask @ada) — QA: #42";

    await stageCard(page, "Deploy").getByRole("button", { name: "Disable transition into Deploy" }).click();
    const disable = page.getByRole("dialog", { name: "Disable transition" });
    await disable.getByRole("textbox", { name: "Reason" }).fill(reason);
    await disable.getByRole("button", { name: "Disable transition" }).click();
    await expect(disable).toBeHidden();
    const broken = page.getByRole("group", { name: "Transition into Deploy is disabled" });
    await expect(broken).toBeVisible();
    await expect(broken.getByTestId("transition-reason")).toContainText("Freeze until Monday (ask @ada)");

    const { stageStates } = await codepipeline.send(new GetPipelineStateCommand({ name: pipeline.name }));
    const inbound = stageStates?.find((s) => s.stageName === "Deploy")?.inboundTransitionState;
    expect(inbound?.enabled).toBe(false);
    expect(inbound?.disabledReason).toMatch(/^[a-zA-Z0-9!@ ().*?-]+$/);
    expect(inbound?.disabledReason).toContain("Freeze until Monday (ask @ada)");

    await stageCard(page, "Deploy").getByRole("button", { name: "Enable transition into Deploy" }).click();
    const enable = page.getByRole("dialog", { name: "Enable transition" });
    await enable.getByRole("button", { name: "Enable transition" }).click();
    await expect(enable).toBeHidden();
    await expect(broken).toBeHidden();
    await expectSamePage(page);

    await expect
      .poll(async () => (await auditRows(db, pipeline.id)).filter((r) => r.login === person.login).map((r) => r.action))
      .toEqual(expect.arrayContaining(["disable-transition", "enable-transition"]));
    const disabled = (await auditRows(db, pipeline.id)).find((r) => r.action === "disable-transition");
    expect(disabled?.words).toContain(reason);
  });

  test("a writer releases a chosen commit", async ({ page, db, codepipeline, dedicated }, testInfo) => {
    const pipeline = await controlPipeline({ db, codepipeline }, testInfo, { source: "connection" });
    const person = await dedicated.githubUser();
    await signedInWith(page, person, pipeline.repository, "write");
    const { pipelineExecutionSummaries: before = [] } = await codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
    );
    const first = before[0];
    const sha = first?.sourceRevisions?.[0]?.revisionId ?? "";
    expect(sha).toMatch(/^[0-9a-f]{40}$/);

    await page.goto(`/pipelines/${pipeline.id}`);
    await expect(page.getByTestId("stage-graph")).toBeVisible();
    await markPage(page);
    await page.getByRole("button", { name: "Release change" }).click();
    const dialog = page.getByRole("dialog", { name: "Release change" });
    await dialog.getByRole("radio", { name: "A chosen commit" }).check();
    await dialog.getByRole("textbox", { name: "Commit SHA" }).fill(sha);
    await dialog.getByRole("button", { name: "Start execution" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("command-outcome").filter({ hasText: `of ${sha.slice(0, 7)}` })).toBeVisible();

    let started: string | undefined;
    await expect
      .poll(async () => {
        const { pipelineExecutionSummaries = [] } = await codepipeline.send(
          new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
        );
        const latest = pipelineExecutionSummaries[0];
        started = latest?.pipelineExecutionId;
        return latest && latest.pipelineExecutionId !== first?.pipelineExecutionId
          ? { sha: latest.sourceRevisions?.[0]?.revisionId, trigger: latest.trigger?.triggerType }
          : null;
      })
      .toEqual({ sha, trigger: "StartPipelineExecution" });
    await expect(page.locator(`[data-testid="stage"][data-execution="${started}"]`).first()).toBeVisible();
    await expectSamePage(page);
    const { rows } = await db.query<{ login: string }>(
      `SELECT login FROM "ExecutionStarter" WHERE "pipelineId" = $1 AND "executionId" = $2`,
      [pipeline.id, started],
    );
    expect(rows.map((r) => r.login)).toEqual([person.login]);
  });
});

/** The pipeline's audit entries, oldest first, with their outcome joined on. */
async function auditRows(db: pg.Client, pipelineId: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT a.action, COALESCE(o.outcome, a.outcome) AS outcome, a."actorLogin" AS login,
            concat_ws(' ', a.comment, a.parameters::text) AS words
       FROM "AuditEntry" a LEFT JOIN "AuditEntry" o ON o."attemptId" = a.id
      WHERE a."pipelineId" = $1 AND a.entry = 'attempt' ORDER BY a.id`,
    [pipelineId],
  );
  return rows;
}
