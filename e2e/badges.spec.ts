// Status badges through the whole stack: the GitHub stand-in says a repository is public (or not), a person
// signs in through it (their list records that), and the badge routes answer anyone, signed in or not, as
// GitHub's image proxy asks: an SVG Chromium draws, the state of the pipeline's latest run, 304 when unchanged.
// A private repository's badge says "unknown" until its admin makes a key on the settings page; rotating it
// makes the old key's badges "unknown" at once.
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import type pg from "pg";
import { BADGE_MESSAGES, stateOf } from "../lib/badges/state";
import { E2E } from "./environment";
import { expect, jsonRequest, signInThroughGitHub, test, type DedicatedPipeline } from "./fixtures";

/** What the badge should say, from the rows the sync stored: the latest run that passed, failed or is going. */
async function expectedMessage(db: pg.Client, pipelineId: string): Promise<string> {
  const { rows } = await db.query<{ status: string; pending: boolean }>(
    `SELECT e.status, EXISTS (SELECT 1 FROM "Approval" a WHERE a."pipelineId" = e."pipelineId" AND a.status = 'Pending'
                                AND a."executionId" = e."executionId") AS pending
       FROM "Execution" e WHERE e."pipelineId" = $1 AND e.status IN ('Succeeded', 'Failed', 'InProgress')
      ORDER BY e."startTime" DESC, e.id DESC LIMIT 1`,
    [pipelineId],
  );
  const row = rows[0];
  return BADGE_MESSAGES[stateOf(row ? { status: row.status, pendingApproval: row.pending } : null)].message;
}

/** The badge's words after its label, as an anonymous client (no cookie) fetches it. */
async function badgeMessage(request: APIRequestContext, path: string): Promise<string> {
  const response = await request.get(path);
  expect(response.status()).toBe(200);
  const title = /<title>([^<]*)<\/title>/.exec(await response.text())?.[1] ?? "";
  return title.slice(title.lastIndexOf(": ") + 2);
}

/** A browser with nobody signed in, as a README reader's (or camo's) is. */
async function anonymousPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E.appUrl });
  return context.newPage();
}

const standIn = (route: string, body: unknown) => jsonRequest(`${E2E.githubUrl}/_stand-in/${route}`, body);

/** The synced pipeline whose executions the badge reads, with the sandbox's first run stored. */
async function withRun(db: pg.Client, pipeline: DedicatedPipeline): Promise<string> {
  await expect
    .poll(async () => (await db.query(`SELECT 1 FROM "Execution" WHERE "pipelineId" = $1`, [pipeline.id])).rowCount)
    .toBeGreaterThan(0);
  const expected = await expectedMessage(db, pipeline.id);
  expect(expected).not.toBe("unknown");
  return expected;
}

test.describe("status badges", () => {
  test("the demo's public repository: acme/web-app's badge shows a state to anyone once a reader signed in", async ({
    page,
    browser,
    db,
    dedicated,
  }) => {
    test.setTimeout(300_000);
    // npm start makes acme/web-app public on the stand-in; a sign-in records what GitHub says of it on the rows
    // stored by then, so the demo fleet's first sync of the repository comes first (it may still be running, and on
    // two cores it shares the start with the insight rollups' first build and the other loops).
    await expect
      .poll(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM "Execution" e JOIN "Pipeline" p ON p.id = e."pipelineId"
                 JOIN "Repository" r ON r.id = p."repositoryId" WHERE r."fullName" = 'acme/web-app'`,
            )
          ).rowCount,
        { timeout: 180_000 },
      )
      .toBeGreaterThan(0);
    const reader = await dedicated.githubUser();
    await reader.grant("acme/web-app", "read");
    await signInThroughGitHub(page, reader.login);
    const anonymous = await anonymousPage(browser);
    await expect
      .poll(() => badgeMessage(anonymous.request, "/badges/acme/web-app.svg"))
      .toMatch(/^(passing|failing|running|waiting for approval)$/);
    await anonymous.context().close();
  });

  test("a public repository's badges are public: SVG images Chromium draws, with their state", async ({
    page,
    browser,
    db,
    dedicated,
  }) => {
    const pipeline = await dedicated.pipeline();
    const expected = await withRun(db, pipeline);
    await test.step("GitHub says the repository is public, and a reader signs in", async () => {
      await standIn("repositories", { repositories: [pipeline.repository], public: true });
      const reader = await dedicated.githubUser();
      await reader.grant(pipeline.repository, "read");
      await signInThroughGitHub(page, reader.login);
    });
    const anonymous = await anonymousPage(browser);
    const repositoryBadge = `/badges/${pipeline.repository}.svg`;
    const pipelineBadge = `/badges/${pipeline.repository}/${pipeline.name}.svg`;

    await test.step("the repository's and the pipeline's badges say what the pipeline's latest run says", async () => {
      await expect.poll(() => badgeMessage(anonymous.request, repositoryBadge)).toBe(expected);
      expect(await badgeMessage(anonymous.request, pipelineBadge)).toBe(expected);
    });

    await test.step("opened, the badge is an SVG document with its label and state", async () => {
      const response = await anonymous.goto(`${pipelineBadge}?label=deploy`);
      expect(response?.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
      expect(response?.headers()["cache-control"]).toBe("no-cache, max-age=0");
      expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
      expect(response?.headers()["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'");
      await expect(anonymous.locator("svg")).toBeVisible();
      await expect(anonymous.locator("svg > title")).toHaveText(`deploy: ${expected}`);
    });

    await test.step("embedded as an image, Chromium draws it", async () => {
      // In a page of Stageboard's own (sign-in), whose CSP allows its own images.
      await anonymous.goto("/login");
      await anonymous.setContent(`<img alt="badge" src="${repositoryBadge}?style=for-the-badge">`);
      const image = anonymous.getByRole("img", { name: "badge" });
      await expect(image).toBeVisible();
      await expect
        .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
    });

    await test.step("an unchanged badge answers 304", async () => {
      const first = await anonymous.request.get(repositoryBadge);
      const etag = first.headers()["etag"] ?? "";
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await anonymous.request.get(repositoryBadge, { headers: { "if-none-match": etag } });
      expect(again.status()).toBe(304);
    });
    await anonymous.context().close();
  });

  test("a private repository's badge says unknown without its key; its admin makes, copies and rotates the key", async ({
    page,
    browser,
    db,
    dedicated,
  }) => {
    const pipeline = await dedicated.pipeline();
    const expected = await withRun(db, pipeline);
    await test.step("the repository is private on GitHub, and its admin signs in", async () => {
      await standIn("repositories", { repositories: [pipeline.repository] });
      const admin = await dedicated.githubUser();
      await admin.grant(pipeline.repository, "admin");
      await signInThroughGitHub(page, admin.login);
    });
    const anonymous = await anonymousPage(browser);
    const repositoryBadge = `/badges/${pipeline.repository}.svg`;
    expect(await badgeMessage(anonymous.request, repositoryBadge)).toBe("unknown");
    expect(await badgeMessage(anonymous.request, `${repositoryBadge}?key=sbk_guess`)).toBe("unknown");

    await page.goto(`/repositories/${pipeline.repository}/settings`);
    const section = page.getByRole("region", { name: "Status badges" });
    await expect(section).toContainText("is private on GitHub");
    const keyField = section.getByTestId("badge-key");
    const markdownField = section.getByTestId("badge-markdown");

    const key = await test.step("the admin makes a key; the page shows it and the README Markdown", async () => {
      await section.getByRole("button", { name: "Create a badge key" }).click();
      await expect(keyField).toHaveValue(/^sbk_[A-Za-z0-9_-]{43}$/);
      const made = await keyField.inputValue();
      await expect(markdownField).toHaveValue(
        `[![CodePipeline](${E2E.appUrl}${repositoryBadge}?key=${made})](${E2E.appUrl}/repositories/${pipeline.repository})`,
      );
      const preview = section.getByTestId("badge-preview");
      await expect
        .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
      return made;
    });
    expect(await badgeMessage(anonymous.request, `${repositoryBadge}?key=${key}`)).toBe(expected);
    expect(
      await badgeMessage(anonymous.request, `/badges/${pipeline.repository}/${pipeline.name}.svg?key=${key}`),
    ).toBe(expected);

    await test.step("after a rotation the old key's badges say unknown and the new key's the state", async () => {
      await section.getByRole("button", { name: "Rotate the key" }).click();
      await section
        .getByRole("group", { name: "Confirm the rotation" })
        .getByRole("button", { name: "Rotate now" })
        .click();
      await expect(keyField).not.toHaveValue(key);
      const rotated = await keyField.inputValue();
      expect(rotated).toMatch(/^sbk_/);
      await expect(markdownField).toHaveValue(new RegExp(`\\?key=${rotated}\\)`));
      expect(await badgeMessage(anonymous.request, `${repositoryBadge}?key=${key}`)).toBe("unknown");
      expect(await badgeMessage(anonymous.request, `${repositoryBadge}?key=${rotated}`)).toBe(expected);
    });
    await anonymous.context().close();
  });
});
