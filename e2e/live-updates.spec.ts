// Live pages over server-sent events, on a pipeline of the test's own: a status change made in the
// sandbox reaches the open pipeline page and overview through GET /api/stream (no reload, no polling),
// a hidden page holds no connection and makes no requests, and signing out closes the other tabs' streams.
import { ListPipelineExecutionsCommand, StopPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/** Requests a context makes to `path` (any query), counted from now. */
function counter(context: BrowserContext, path: string): { count(): number } {
  let n = 0;
  context.on("request", (request) => {
    if (new URL(request.url()).pathname === path) n++;
  });
  return { count: () => n };
}

const live = (page: Page) => expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");

test.describe("live updates", () => {
  test("a stopped execution shows on the open pipeline page and overview without a reload or polling", async ({
    page,
    users,
    dedicated,
    codepipeline,
  }) => {
    const pipeline = await dedicated.pipeline();
    const user = await users.create({ repositories: [pipeline.repository] });
    await user.login(page);
    const polls = counter(page.context(), "/api/changes");
    const streams = counter(page.context(), "/api/stream");
    // A new pipeline runs once right away, and that run waits in its source stage (the clock is manual).
    const { pipelineExecutionSummaries } = await codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
    );
    const executionId = pipelineExecutionSummaries?.[0]?.pipelineExecutionId ?? "";
    expect(executionId).not.toBe("");

    await page.goto(`/pipelines/${pipeline.id}`);
    const stage = page.locator(`[data-testid="stage"][data-execution="${executionId}"]`).first();
    await expect(stage).toHaveAttribute("data-status", "InProgress", { timeout: 40_000 });
    const overview = await page.context().newPage();
    await overview.goto(`/?q=${encodeURIComponent(pipeline.name)}`);
    const row = overview.getByTestId("pipeline").filter({ hasText: pipeline.name });
    await expect(row.locator("[data-status]").first()).toHaveAttribute("data-status", "InProgress");
    await live(page);
    await live(overview);
    for (const p of [page, overview]) await p.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    await codepipeline.send(
      new StopPipelineExecutionCommand({
        pipelineName: pipeline.name,
        pipelineExecutionId: executionId,
        abandon: true,
      }),
    );
    await expect(stage).toHaveAttribute("data-status", /^Stopp/, { timeout: 40_000 });
    await expect(row.locator("[data-status]").first()).toHaveAttribute("data-status", /^Stopp/, { timeout: 20_000 });

    for (const p of [page, overview])
      expect(await p.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    expect(polls.count()).toBe(0);
    // One stream per page, opened once each.
    expect(streams.count()).toBe(2);
  });

  test("a hidden page closes its stream and makes no requests until it is shown again", async ({
    page,
    users,
    dedicated,
    codepipeline,
  }) => {
    const pipeline = await dedicated.pipeline();
    const user = await users.create({ repositories: [pipeline.repository] });
    await user.login(page);
    await page.goto(`/?q=${encodeURIComponent(pipeline.name)}`);
    await live(page);
    const watcher = await page.context().newPage();
    await watcher.goto(`/pipelines/${pipeline.id}`);
    await live(watcher);

    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "paused");

    // Something the hidden page shows changes; the visible one sees it, the hidden one asks nothing.
    const { pipelineExecutionSummaries } = await codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: pipeline.name }),
    );
    const executionId = pipelineExecutionSummaries?.[0]?.pipelineExecutionId ?? "";
    await expect(watcher.locator(`[data-testid="stage"][data-execution="${executionId}"]`).first()).toHaveAttribute(
      "data-status",
      "InProgress",
      { timeout: 40_000 },
    );
    await codepipeline.send(
      new StopPipelineExecutionCommand({
        pipelineName: pipeline.name,
        pipelineExecutionId: executionId,
        abandon: true,
      }),
    );
    await expect(watcher.locator(`[data-testid="stage"][data-execution="${executionId}"]`).first()).toHaveAttribute(
      "data-status",
      /^Stopp/,
      { timeout: 40_000 },
    );
    expect(requests).toEqual([]);

    // Shown again: it resumes from its last event and catches up on what it missed.
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await live(page);
    const row = page.getByTestId("pipeline").filter({ hasText: pipeline.name });
    await expect(row.locator("[data-status]").first()).toHaveAttribute("data-status", /^Stopp/, { timeout: 20_000 });
  });

  test("signing out in one tab closes the live stream of the others", async ({ page, users, dedicated }) => {
    const pipeline = await dedicated.pipeline();
    const user = await users.create({ repositories: [pipeline.repository] });
    await user.login(page);
    await page.goto("/");
    await live(page);
    const other = await page.context().newPage();
    await other.goto(`/pipelines/${pipeline.id}`);
    await live(other);

    await page.getByRole("button", { name: /^Account menu/ }).click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    // The session's deletion reaches the stream (a database notification), which ends instead of reconnecting.
    await expect(other.getByTestId("live-status")).toHaveAttribute("data-status", "ended", { timeout: 10_000 });
    await expect(other.getByTestId("live-status")).toHaveText("Signed out");
  });
});
