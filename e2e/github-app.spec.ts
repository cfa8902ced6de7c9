import { expect, test } from "./fixtures";

// `npm start` wires Stageboard to the GitHub stand-in's demo App (stageboard-dev, installed on acme and globex), so
// an administrator finds a configured App with no steps; everyone else finds no such page.
test.describe("the GitHub App setup page", () => {
  test("an administrator sees the demo App, its installations and what they reach", async ({ page, users, db }) => {
    // Read before the page is: other specs only ever add repositories with pipelines meanwhile.
    const { rows } = await db.query<{ name: string }>(
      `SELECT DISTINCT COALESCE(r."githubFullName", r."fullName") AS name FROM "Repository" r
         JOIN "Pipeline" p ON p."repositoryId" = r.id AND p."deletedAt" IS NULL`,
    );
    const outside = rows.map((r) => r.name.toLowerCase()).filter((name) => !/^(acme|globex)\//.test(name));
    const admin = await users.create({ repositories: [], isAdmin: true });
    await admin.login(page);
    await page.goto("/");

    await test.step("the header links to it", async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "GitHub App" }).click();
      await expect(page).toHaveURL(/\/settings\/github-app$/);
      await expect(page.getByRole("heading", { level: 1, name: "GitHub App" })).toBeVisible();
    });

    await test.step("the App, read from GitHub with its own JWT", async () => {
      await expect(page.getByTestId("app-name")).toHaveText(/Stageboard \(dev\)/);
      await expect(page.getByText("App id 300001. Configured by GITHUB_APP_ID")).toBeVisible();
    });

    await test.step("its installations, each on all repositories and with every permission approved", async () => {
      const installations = page.getByTestId("installation");
      await expect(installations).toHaveCount(2);
      await expect(installations.getByTestId("installation-account")).toHaveText(["acme", "globex"]);
      for (const account of ["acme", "globex"]) {
        const installation = installations.filter({ has: page.getByText(account, { exact: true }) });
        await expect(installation.getByTestId("installation-repositories")).toHaveText(
          `All repositories of ${account}`,
        );
        await expect(installation.getByTestId("installation-permissions")).toHaveText(
          "Has every permission the App asks for.",
        );
      }
    });

    await test.step("no repository of acme or globex is listed as out of reach", async () => {
      const uncovered = page.getByTestId("uncovered");
      const listed = (await uncovered.count()) > 0 ? await uncovered.getByRole("listitem").allTextContents() : [];
      expect(listed.filter((name) => /^(acme|globex)\//i.test(name))).toEqual([]);
      // What Stageboard delivers outside them (initech's repositories) is listed, not hidden.
      for (const name of outside) expect(listed.map((n) => n.toLowerCase())).toContain(name);
    });
  });

  test("someone who is not an administrator finds no such page, and no link to it", async ({ page, users }) => {
    const person = await users.create({ repositories: ["acme/web-app"] });
    await person.login(page);
    const response = await page.goto("/settings/github-app");
    expect(response?.status()).toBe(404);
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("link", { name: "GitHub App" })).toHaveCount(0);
  });
});
