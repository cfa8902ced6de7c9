// Manual approvals decided from Stageboard, signed in through the GitHub stand-in: from the inbox and the
// approval panel, by people GitHub gives write (or only read), with the policy's rules (no self-approval,
// two approvals), two people at once, an expired approval, and the audit log with its CSV export. What AWS
// holds is read from the sandbox through the real SDK; what the page shows is read without reloading it.
import { readFile } from "node:fs/promises";
import {
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type CodePipelineClient,
} from "@aws-sdk/client-codepipeline";
import type { Locator, Page, TestInfo } from "@playwright/test";
import type pg from "pg";
import {
  controlPipeline,
  emailOf,
  expectSamePage,
  markPage,
  push,
  settle,
  signedInBrowser,
  signedInWith,
  stageCard,
  type ControlPipeline,
} from "./control-fixtures";
import { E2E } from "./environment";
import { expect, test, type DedicatedGitHubUser } from "./fixtures";

/** The sandbox's approval action now: the execution it belongs to, its status and AWS's summary of it. */
async function approvalInAws(codepipeline: CodePipelineClient, pipeline: string) {
  const { stageStates = [] } = await codepipeline.send(new GetPipelineStateCommand({ name: pipeline }));
  const stage = stageStates.find((s) => s.stageName === "Approval");
  const action = stage?.actionStates?.find((a) => a.actionName === "Approve")?.latestExecution;
  return {
    executionId: stage?.latestExecution?.pipelineExecutionId ?? null,
    status: action?.status ?? null,
    summary: action?.summary ?? "",
  };
}

/** Runs the sandbox's due work until `executionId` waits at the approval, then until Stageboard has synced that. */
async function untilWaiting(
  deps: { db: pg.Client; codepipeline: CodePipelineClient },
  pipeline: ControlPipeline,
  executionId: string,
) {
  await expect
    .poll(async () => {
      await settle();
      const aws = await approvalInAws(deps.codepipeline, pipeline.name);
      return `${aws.executionId}:${aws.status}`;
    })
    .toBe(`${executionId}:InProgress`);
  await expect
    .poll(
      async () => {
        const { rows } = await deps.db.query<{ status: string }>(
          `SELECT a.status FROM "Approval" a JOIN "Execution" e ON e."pipelineId" = a."pipelineId" AND e."executionId" = a."executionId"
            WHERE a."pipelineId" = $1 AND a."executionId" = $2`,
          [pipeline.id, executionId],
        );
        return rows.map((r) => r.status);
      },
      { message: `Stageboard syncs the approval of ${executionId}`, timeout: 40_000 },
    )
    .toEqual(["Pending"]);
}

type Deps = {
  page: Page;
  db: pg.Client;
  codepipeline: CodePipelineClient;
  dedicated: { githubUser(): Promise<DedicatedGitHubUser> };
};

/** A pipeline of the test's own waiting at its approval, and a person of its own signed in on `page`. */
async function approvalWith(
  deps: Deps,
  testInfo: TestInfo,
  permission: "admin" | "write" | "read",
  approval: { timeoutInMinutes?: number } = {},
): Promise<{ pipeline: ControlPipeline; person: DedicatedGitHubUser }> {
  const pipeline = await controlPipeline(deps, testInfo, { approval });
  const person = await deps.dedicated.githubUser();
  await signedInWith(deps.page, person, pipeline.repository, permission);
  return { pipeline, person };
}

/** The commit an execution was started with. */
async function commitOf(codepipeline: CodePipelineClient, pipeline: string, executionId: string): Promise<string> {
  const { pipelineExecutionSummaries = [] } = await codepipeline.send(
    new ListPipelineExecutionsCommand({ pipelineName: pipeline }),
  );
  const sha = pipelineExecutionSummaries.find((e) => e.pipelineExecutionId === executionId)?.sourceRevisions?.[0]
    ?.revisionId;
  expect(sha).toMatch(/^[0-9a-f]{40}$/);
  return sha ?? "";
}

/** The panel's approval id (the panel is `#approval-<id>`). */
async function approvalIdOf(panel: Locator): Promise<string> {
  const id = (await panel.getAttribute("id")) ?? "";
  expect(id).toMatch(/^approval-[a-z0-9]+$/);
  return id.slice("approval-".length);
}

/**
 * POST /api/approvals/:id/decision from the signed-in page: its session cookie goes along, and the Origin a
 * browser sends with a same-origin fetch (withUser compares it with the app's own origin).
 */
async function postDecision(
  page: Page,
  approvalId: string,
  body: { decision: "approve" | "reject"; comment: string },
  origin: string | null = E2E.appUrl,
) {
  const response = await page.request.post(`/api/approvals/${approvalId}/decision`, {
    data: body,
    headers: origin ? { origin } : {},
  });
  const answer = (await response.json()) as { error?: { code?: string; message?: string } };
  return { status: response.status(), code: answer.error?.code, message: answer.error?.message ?? "" };
}

type DecisionEntry = {
  entry: string;
  outcome: string;
  login: string;
  awsRequestId: string | null;
  error: string | null;
};

/** The audit log's approval decisions on the pipeline, oldest first. */
async function decisionEntries(db: pg.Client, pipelineId: string): Promise<DecisionEntry[]> {
  const { rows } = await db.query<DecisionEntry>(
    `SELECT entry, outcome, "actorLogin" AS login, "awsRequestId", error FROM "AuditEntry"
      WHERE "pipelineId" = $1 AND action IN ('approve', 'reject') ORDER BY id`,
    [pipelineId],
  );
  return rows;
}

/** RFC 4180: fields in double quotes may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

const decisionButtons = (scope: Locator) => scope.getByRole("button", { name: /^(Approve|Reject)$/ });

test.describe("approvals", () => {
  test("a writer approves from the inbox with a comment; the outcome, the next stage and the count follow without a reload", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const { pipeline, person: writer } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "write", {
      timeoutInMinutes: 24 * 60,
    });
    await page.goto("/approvals");
    const item = page.getByTestId("inbox-item").filter({ hasText: pipeline.name });
    await expect(item).toHaveAttribute("data-decidable", "true", { timeout: 40_000 });
    // A day from the request, as the action declares; the sandbox's clock may be a little behind the browser's.
    await expect(item.getByTestId("time-left")).toHaveAttribute("data-kind", "left");
    await expect(item.getByTestId("time-left")).toHaveText(/^(1 day|2[0-3] hours( \d+ minutes?)?) left$/);
    await expect(item.getByText(`Release ${pipeline.name} to production`)).toBeVisible();
    await expect(item.getByRole("link", { name: /^Review link/ })).toHaveAttribute(
      "href",
      `https://example.com/${pipeline.name}/review`,
    );
    const count = page.getByTestId("approvals-count");
    await expect(count).toHaveText("1");
    await markPage(page);

    const comment = "Smoke tests pass on staging";
    await item.getByRole("textbox", { name: /^Comment/ }).fill(comment);
    await item.getByRole("button", { name: "Approve" }).click();
    await expect(item.getByTestId("decision-outcome")).toHaveText(/^Approved in AWS/);
    await expect(item.getByTestId("approval-decided")).toHaveText(new RegExp(`^Approved by @?${writer.login}$`));
    await expect(decisionButtons(item)).toHaveCount(0);
    await expect(count).toBeHidden();

    await expect
      .poll(async () => {
        const aws = await approvalInAws(codepipeline, pipeline.name);
        return `${aws.status}: ${aws.summary}`;
      })
      .toMatch(new RegExp(`^Succeeded: Approved by @${writer.login}\\b.* via Stageboard: ${comment}$`));

    // Into the pipeline by the item's link (a client-side navigation: still the same page), where Deploy runs.
    await item.getByRole("link", { name: /^See what is being approved/ }).click();
    await expect(page).toHaveURL(new RegExp(`/pipelines/${pipeline.id}`));
    await settle();
    await expect(stageCard(page, "Deploy")).toHaveAttribute("data-status", /InProgress|Succeeded/, { timeout: 40_000 });
    await expect(stageCard(page, "Approval")).toHaveAttribute("data-status", "Succeeded");
    await expectSamePage(page);
  });

  test("a reader sees the approval without buttons, and a decision posted anyway is refused naming the permission", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const { pipeline, person: reader } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "read");
    const { executionId } = await approvalInAws(codepipeline, pipeline.name);
    const sha = await commitOf(codepipeline, pipeline.name, executionId ?? "");
    await page.goto(`/pipelines/${pipeline.id}`);
    const panel = page.getByTestId("approval-panel");
    await expect(panel).toHaveAttribute("data-status", "Pending", { timeout: 40_000 });
    await expect(panel.getByTestId("approval-custom-data")).toHaveText(`Release ${pipeline.name} to production`);
    await expect(panel.getByRole("list", { name: "Commits being approved" })).toContainText(sha.slice(0, 7));
    await expect(panel.getByTestId("time-left")).toHaveAttribute("data-kind", "left");
    const why = `needs write on ${pipeline.repository}; you have read`;
    await expect(panel.getByTestId("decide-refused")).toContainText(why);
    await expect(decisionButtons(panel)).toHaveCount(0);

    const approvalId = await approvalIdOf(panel);
    const crossSite = await postDecision(page, approvalId, { decision: "approve", comment: "" }, null);
    expect(crossSite).toMatchObject({ status: 403, message: "Cross-origin request refused" });
    const refused = await postDecision(page, approvalId, { decision: "approve", comment: "" });
    expect(refused).toMatchObject({ status: 403, code: "forbidden" });
    expect(refused.message).toContain(why);

    expect(await decisionEntries(db, pipeline.id)).toEqual([
      expect.objectContaining({ entry: "refusal", outcome: "refused", login: reader.login, error: why }),
    ]);
    expect((await approvalInAws(codepipeline, pipeline.name)).status).toBe("InProgress");
  });

  test("a writer whose own commit is being approved is told why before clicking, and the API refuses it", async ({
    page,
    db,
    codepipeline,
    dedicated,
    sandbox,
  }, testInfo) => {
    const { pipeline, person: writer } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "write");
    // The first execution (someone else's commit) leaves the approval stage; then the writer's own commit.
    expect(await sandbox.control("approvals/expire", { pipeline: pipeline.name })).toEqual({ expired: 1 });
    const own = await push(pipeline.name, { name: `E2E ${writer.login}`, email: emailOf(writer.login) });
    await untilWaiting({ db, codepipeline }, pipeline, own);
    const sha = (await commitOf(codepipeline, pipeline.name, own)).slice(0, 7);

    await page.goto(`/pipelines/${pipeline.id}/executions/${own}`);
    const panel = page.getByTestId("approval-panel");
    await expect(panel).toHaveAttribute("data-status", "Pending", { timeout: 40_000 });
    const commits = panel.getByRole("list", { name: "Commits being approved" });
    await expect(commits).toContainText(sha);
    await expect(commits).toContainText(`@${writer.login}`);
    const why = `you wrote a commit in this change (${sha})`;
    await expect(panel.getByTestId("decide-refused")).toContainText(why);
    await expect(decisionButtons(panel)).toHaveCount(0);

    const refused = await postDecision(page, await approvalIdOf(panel), { decision: "approve", comment: "mine" });
    expect(refused).toMatchObject({ status: 403, code: "forbidden" });
    expect(refused.message).toContain(why);
    expect((await approvalInAws(codepipeline, pipeline.name)).status).toBe("InProgress");
  });

  test("an admin asks for two approvals on the settings page; one writer's vote is recorded, the second decides", async ({
    page,
    browser,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const { pipeline } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "admin");
    const [first, second] = [await dedicated.githubUser(), await dedicated.githubUser()];
    await page.goto(`/repositories/${pipeline.repository}/settings`);
    const level = page.getByRole("form", { name: "Choose the level" });
    await level.getByRole("combobox", { name: /^Pipeline/ }).selectOption({ label: pipeline.name });
    await level.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]pipeline=${pipeline.id}`));
    await level.getByRole("combobox", { name: /^Stage/ }).selectOption("Approval");
    await level.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/[?&]stage=Approval/);
    const scope = `stage Approval of ${pipeline.name}`;
    const policy = page.getByRole("form", { name: `Policy for ${scope}` });
    await policy.getByRole("combobox", { name: "Required approvals" }).selectOption("2");
    await policy.getByRole("button", { name: `Save for ${scope}` }).click();
    await expect(policy.getByText("Saved.")).toBeVisible();
    await expect(policy.getByRole("row", { name: /^Required approvals/ }).getByTestId("policy-effective")).toHaveText(
      /^2\s*from the stage's settings$/,
    );

    const a = await signedInBrowser(browser, first, pipeline.repository, "write");
    const b = await signedInBrowser(browser, second, pipeline.repository, "write");
    try {
      await a.page.goto(`/pipelines/${pipeline.id}`);
      const panelA = a.page.getByTestId("approval-panel");
      await expect(panelA.getByTestId("approval-progress")).toHaveText("0 of 2 approvals", { timeout: 40_000 });
      await panelA.getByRole("button", { name: "Approve" }).click();
      await expect(panelA.getByTestId("decision-outcome")).toHaveText(
        "Your approval is recorded; 1 more approval needed.",
      );
      await expect(panelA.getByTestId("approval-progress")).toHaveText("1 of 2 approvals");
      await expect(panelA.getByRole("list", { name: "Votes" })).toContainText(`@${first.login} approved`);
      expect((await approvalInAws(codepipeline, pipeline.name)).status).toBe("InProgress");

      await b.page.goto(`/pipelines/${pipeline.id}`);
      const panelB = b.page.getByTestId("approval-panel");
      await expect(panelB.getByTestId("approval-progress")).toHaveText("1 of 2 approvals");
      await panelB.getByRole("button", { name: "Approve" }).click();
      await expect(panelB.getByTestId("decision-outcome")).toHaveText(/^Approved in AWS/);
      await expect
        .poll(async () => {
          const aws = await approvalInAws(codepipeline, pipeline.name);
          return `${aws.status}: ${aws.summary}`;
        })
        .toMatch(new RegExp(`^Succeeded: Approved by @${first.login}\\b.*, @${second.login}\\b.* via Stageboard`));
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  test("two writers approve at the same moment: one decision reaches AWS, the other is told who was first", async ({
    page,
    browser,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const { pipeline, person: one } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "write");
    const { executionId } = await approvalInAws(codepipeline, pipeline.name);
    const two = await dedicated.githubUser();
    const other = await signedInBrowser(browser, two, pipeline.repository, "write");
    try {
      const pages = [page, other.page];
      for (const p of pages) {
        await p.goto(`/pipelines/${pipeline.id}`);
        await expect(p.getByTestId("approval-panel").getByRole("button", { name: "Approve" })).toBeVisible({
          timeout: 40_000,
        });
        await markPage(p);
      }
      await Promise.all(
        pages.map((p) => p.getByTestId("approval-panel").getByRole("button", { name: "Approve" }).click()),
      );

      let entries: DecisionEntry[] = [];
      await expect
        .poll(
          async () => (entries = await decisionEntries(db, pipeline.id)).filter((e) => e.entry !== "attempt").length,
        )
        .toBe(2);
      const succeeded = entries.filter((e) => e.outcome === "succeeded");
      expect(succeeded).toHaveLength(1);
      const winner = succeeded[0]?.login ?? "";
      expect(succeeded[0]?.awsRequestId).toBeTruthy();
      const loser = entries.find((e) => e.entry !== "attempt" && e.outcome !== "succeeded");
      // Refused before AWS (the decision was taken) or stopped at the claim: either way no AWS request id.
      expect(loser).toMatchObject({ outcome: expect.stringMatching(/^(refused|failed)$/), awsRequestId: null });
      expect(loser?.login).not.toBe(winner);
      expect(loser?.error).toContain(`Already approved by @${winner}`);

      const [winnerPage, loserPage] = winner === one.login ? [page, other.page] : [other.page, page];
      await expect(winnerPage.getByTestId("decision-outcome")).toHaveText(/^Approved in AWS/);
      await expect(loserPage.getByTestId("decision-error")).toContainText(`Already approved by @${winner}`);
      for (const p of pages) {
        const panel = p.getByTestId("approval-panel");
        await expect(panel).toHaveAttribute("data-status", "Approved");
        await expect(panel.getByTestId("approval-decided")).toHaveText(new RegExp(`^Approved by @?${winner}\\b`));
        await expect(decisionButtons(panel)).toHaveCount(0);
        await expectSamePage(p);
      }

      // AWS has one answer on the action, the winner's.
      const { actionExecutionDetails = [] } = await codepipeline.send(
        new ListActionExecutionsCommand({
          pipelineName: pipeline.name,
          filter: { pipelineExecutionId: executionId ?? "" },
        }),
      );
      const approvals = actionExecutionDetails.filter((d) => d.actionName === "Approve");
      expect(approvals.map((d) => d.status)).toEqual(["Succeeded"]);
      const summary = approvals[0]?.output?.executionResult?.externalExecutionSummary ?? "";
      expect(summary).toContain(`@${winner}`);
      expect(summary).not.toContain(`@${loser?.login}`);
    } finally {
      await other.context.close();
    }
  });

  test("an expired approval says it expired, offers no decision, and a decision posted anyway is refused", async ({
    page,
    db,
    codepipeline,
    dedicated,
    sandbox,
  }, testInfo) => {
    const { pipeline } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "write");
    await page.goto(`/pipelines/${pipeline.id}`);
    const panel = page.getByTestId("approval-panel");
    await expect(panel.getByRole("button", { name: "Approve" })).toBeVisible({ timeout: 40_000 });
    const approvalId = await approvalIdOf(panel);
    const inbox = await page.context().newPage();
    await inbox.goto("/approvals");
    const item = inbox.locator(`[data-testid="inbox-item"][data-approval="${approvalId}"]`);
    await expect(item.getByRole("button", { name: "Approve" })).toBeVisible();

    expect(await sandbox.control("approvals/expire", { pipeline: pipeline.name })).toEqual({ expired: 1 });
    await expect(panel).toHaveAttribute("data-status", "Expired", { timeout: 40_000 });
    await expect(panel.getByTestId("approval-decided")).toHaveText(/^Expired\b/);
    await expect(panel).not.toContainText("Rejected");
    await expect(decisionButtons(panel)).toHaveCount(0);
    await expect(item.getByTestId("approval-decided")).toHaveText(/^Expired\b/);
    await expect(item).not.toContainText("Rejected");
    await expect(item.getByTestId("time-left")).toHaveCount(0);
    await expect(decisionButtons(item)).toHaveCount(0);

    const refused = await postDecision(page, approvalId, { decision: "approve", comment: "" });
    expect(refused).toMatchObject({ status: 409, code: "conflict" });
    expect(refused.message).toMatch(/expired/i);
    expect((await approvalInAws(codepipeline, pipeline.name)).status).toBe("Failed");
  });

  test("the audit page lists an approval and a rejection with the GitHub login, and its CSV export has the same rows", async ({
    page,
    db,
    codepipeline,
    dedicated,
  }, testInfo) => {
    const { pipeline, person: writer } = await approvalWith({ page, db, codepipeline, dedicated }, testInfo, "write");
    const approveComment = "Checked the canary";
    // Commas, quotes and a line break: the CSV must quote them.
    const rejectComment = 'Error rate too high, see the "checkout" dashboard\nRolling back';

    await page.goto(`/pipelines/${pipeline.id}`);
    const approvePanel = page.getByTestId("approval-panel");
    await approvePanel.getByRole("textbox", { name: /^Comment/ }).fill(approveComment);
    await approvePanel.getByRole("button", { name: "Approve" }).click({ timeout: 40_000 });
    await expect(approvePanel.getByTestId("decision-outcome")).toHaveText(/^Approved in AWS/);

    const next = await push(pipeline.name);
    await untilWaiting({ db, codepipeline }, pipeline, next);
    await page.goto(`/pipelines/${pipeline.id}/executions/${next}`);
    const rejectPanel = page.getByTestId("approval-panel");
    await rejectPanel.getByRole("textbox", { name: /^Comment/ }).fill(rejectComment);
    await rejectPanel.getByRole("button", { name: "Reject" }).click({ timeout: 40_000 });
    await expect(rejectPanel.getByTestId("decision-outcome")).toHaveText(/^Rejected in AWS/);

    await page.goto("/audit");
    const filters = page.getByRole("search", { name: "Filter the audit log" });
    await filters.getByRole("textbox", { name: "Repository" }).fill(pipeline.repository);
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]repository=${encodeURIComponent(pipeline.repository)}`));
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(4);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        action: tr.getAttribute("data-action") ?? "",
        outcome: tr.getAttribute("data-outcome") ?? "",
        person: tr.querySelectorAll("td")[1]?.textContent ?? "",
        comment: tr.querySelectorAll("td")[5]?.textContent ?? "",
      })),
    );
    expect(shown.map((r) => `${r.action}:${r.outcome}`).sort()).toEqual([
      "approve:attempted",
      "approve:succeeded",
      "reject:attempted",
      "reject:succeeded",
    ]);
    for (const row of shown) {
      expect(row.person).toContain(`@${writer.login}`);
      expect(row.comment).toBe(row.action === "approve" ? approveComment : rejectComment);
    }

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const [header = [], ...records] = parseCsv(await readFile(await download.path(), "utf8"));
    const exported = records.map((r) => Object.fromEntries(header.map((column, i) => [column, r[i] ?? ""])));
    expect(exported.map((r) => `${r.action}:${r.outcome}:${r.actorLogin}:${r.repository}:${r.comment}`).sort()).toEqual(
      shown.map((r) => `${r.action}:${r.outcome}:${writer.login}:${pipeline.repository}:${r.comment}`).sort(),
    );
  });
});
