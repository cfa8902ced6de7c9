import type { Page } from "@playwright/test";
import { E2E } from "./environment";
import { DEDICATED_PREFIX, expect, signInThroughGitHub, test } from "./fixtures";

test.describe("sign in with GitHub", () => {
  // Each sign-in is a GitHub user of the test's own, with the reach of a demo user: two sign-ins of one
  // person at once (another test, or another run of this one) would share their access cache.
  test("a person signs in through GitHub's consent page and sees their repositories", async ({ page, dedicated }) => {
    const person = await dedicated.githubUser();
    await person.grantOwner("acme", "admin");
    await test.step("sign in as a person who administers acme/*", () => signInThroughGitHub(page, person.login));
    const repositories = page.getByTestId("repository");
    await expect(repositories.first()).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: /^acme\// }).first()).toBeVisible();
    await expect(page.getByTestId("viewer-login")).toHaveText(person.login);
    const cookies = await page.context().cookies(E2E.appUrl);
    const session = cookies.find((c) => c.name === "next-auth.session-token");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });

  test("two people see different repositories", async ({ browser, dedicated }) => {
    // What the demo users ada and grace can reach.
    const [ada, grace] = [await dedicated.githubUser(), await dedicated.githubUser()];
    await ada.grantOwner("acme", "admin");
    await ada.grantOwner("globex", "read");
    await grace.grantOwner("globex", "write");
    await grace.grantOwner("initech", "read");
    const adaPage = await browser.newPage();
    const gracePage = await browser.newPage();
    await signInThroughGitHub(adaPage, ada.login);
    await signInThroughGitHub(gracePage, grace.login);
    const names = async (page: Page) => {
      // The overview streams in after its loading state; read the names once it has rendered.
      await expect(page.getByTestId("repository").first()).toBeVisible();
      return (await page.getByTestId("repository").getByRole("heading", { level: 2 }).allTextContents()).sort();
    };
    const adaRepos = await names(adaPage);
    const graceRepos = await names(gracePage);
    expect(adaRepos.some((r) => r.startsWith("acme/"))).toBe(true);
    expect(graceRepos.some((r) => r.startsWith("acme/"))).toBe(false);
    expect(graceRepos.some((r) => r.startsWith("globex/") || r.startsWith("initech/"))).toBe(true);
    expect(adaRepos).not.toEqual(graceRepos);
    await adaPage.close();
    await gracePage.close();
  });

  test("cancelling on the consent page returns to sign-in with a clear message", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/login/);
    // Next's route announcer is an (empty) alert too: look for the one that says it.
    await expect(page.getByRole("alert").filter({ hasText: /cancelled the sign-in/i })).toBeVisible();
  });

  test("an API route without a session answers 401", async ({ request }) => {
    const response = await request.get("/api/me");
    expect(response.status()).toBe(401);
    expect((await response.json()) as unknown).toMatchObject({ error: { code: "unauthorized" } });
  });

  test("a tampered session cookie signs you out", async ({ page, users }) => {
    const user = await users.create({ repositories: ["acme/web-app"] });
    await user.login(page);
    await page.goto("/");
    await expect(page.getByTestId("viewer-login")).toBeVisible();
    await page
      .context()
      .addCookies([{ name: "next-auth.session-token", value: `${user.sessionToken}x`, url: E2E.appUrl }]);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    const api = await page.request.get("/api/me");
    expect(api.status()).toBe(401);
  });

  test("a pipeline of a repository the viewer cannot see answers 404, as does one without a GitHub source", async ({
    page,
    users,
    db,
  }) => {
    // acme/api's pipelines have GitHub (version 1) sources, mapped as soon as they are synced; the hidden one
    // is any other repository's pipeline of the demo fleet (dedicated pipelines are their own tests' business).
    const pipelineIn = async (where: string) =>
      (
        await db.query<{ id: string }>(
          `SELECT p.id FROM "Pipeline" p JOIN "Repository" r ON r.id = p."repositoryId"
            WHERE ${where} AND p.name NOT LIKE '${DEDICATED_PREFIX}%' ORDER BY p.name LIMIT 1`,
        )
      ).rows[0]?.id;
    let visible: string | undefined;
    let hidden: string | undefined;
    await expect
      .poll(
        async () => {
          visible = await pipelineIn(`r."fullName" = 'acme/api'`);
          hidden = await pipelineIn(`r."fullName" <> 'acme/api'`);
          return Boolean(visible && hidden);
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const unmapped = await db.query<{ id: string }>(`SELECT id FROM "Pipeline" WHERE "repositoryId" IS NULL LIMIT 1`);
    const user = await users.create({ repositories: ["acme/api"] });
    await user.login(page);
    expect((await page.goto(`/pipelines/${visible}`))?.status()).toBe(200);
    expect((await page.goto(`/pipelines/${hidden}`))?.status()).toBe(404);
    expect((await page.request.get(`/api/pipelines/${hidden}`)).status()).toBe(404);
    if (unmapped.rows[0]) expect((await page.goto(`/pipelines/${unmapped.rows[0].id}`))?.status()).toBe(404);
    expect((await page.goto(`/pipelines/does-not-exist`))?.status()).toBe(404);
  });

  test("an expired session signs you out", async ({ page, users, db }) => {
    const user = await users.create({ repositories: ["acme/web-app"] });
    await user.login(page);
    await page.goto("/");
    await expect(page.getByTestId("viewer-login")).toBeVisible();
    await db.query(
      `UPDATE "Session" SET expires = now() - interval '1 minute' WHERE "tokenHash" = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [user.sessionToken],
    );
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a state-changing request from another origin is refused", async ({ page, users }) => {
    const user = await users.create({ repositories: [] });
    await user.login(page);
    const response = await page.request.delete("/api/sessions", {
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      data: {},
    });
    expect(response.status()).toBe(403);
    await page.goto("/");
    await expect(page.getByTestId("viewer-login")).toBeVisible();
  });

  test("revoking access on GitHub removes the repository after the cache refresh", async ({ page, dedicated }) => {
    // A GitHub user of this test's own who can read acme/api only (its pipelines have GitHub version 1 sources,
    // mapped as soon as they are synced); the e2e stack caches access for 10 s.
    const person = await dedicated.githubUser();
    await person.grant("acme/api", "read");
    await signInThroughGitHub(page, person.login);
    await expect(page.getByTestId("viewer-login")).toHaveText(person.login);
    await expect(page.getByRole("heading", { level: 2, name: "acme/api" })).toBeVisible();
    await person.grant("acme/api", "none");
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("heading", { level: 2, name: "acme/api" })).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: 30_000, intervals: [2_000] });
  });

  test("signing out everywhere ends every session", async ({ browser, users }) => {
    const user = await users.create({ repositories: [] });
    const first = await browser.newPage();
    const second = await browser.newPage();
    await user.login(first);
    await user.login(second);
    await first.goto("/");
    await first.getByRole("button", { name: /^Account menu/ }).click();
    await first.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(first).toHaveURL(/\/login/);
    await second.goto("/");
    await expect(second).toHaveURL(/\/login/);
    await first.close();
    await second.close();
  });
});
