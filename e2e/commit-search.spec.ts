import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

// "Where is my commit?" from the header, and the overview's pages on a fleet larger than one page.

test("the header's search finds a demo commit in every pipeline that ran it, with where it runs now", async ({
  page,
  users,
  sandbox,
  db,
}) => {
  const repositories = await sandbox.fleetRepositories();
  const viewer = await users.create({ repositories, isAdmin: false });
  // A commit the demo fleet ran, and independently of Stageboard's query, every visible pipeline that ran it.
  const { rows } = await db.query<{ sha: string; pipelines: string[] }>(
    `SELECT e."commitSha" AS sha, array_agg(DISTINCT p.name) AS pipelines
       FROM "Execution" e JOIN "Pipeline" p ON p.id = e."pipelineId" JOIN "Repository" r ON r.id = p."repositoryId"
      WHERE e."commitSha" ~ '^[0-9a-f]{40}$' AND p."deletedAt" IS NULL AND r."fullName" = ANY($1::text[])
      GROUP BY e."commitSha" ORDER BY max(e."startTime") DESC LIMIT 1`,
    [repositories.map((r) => r.toLowerCase())],
  );
  const commit = rows[0];
  expect(commit, "the demo fleet has run a commit").toBeTruthy();
  if (!commit) return;
  await viewer.login(page);
  await page.goto("/");

  await test.step("type seven characters of the SHA into the header and press Enter", async () => {
    const box = page.getByRole("searchbox", { name: "Commit SHA or pull request" });
    await box.fill(commit.sha.slice(0, 7));
    await box.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/search\\?q=${commit.sha.slice(0, 7)}$`));
  });

  await test.step("the commit, each pipeline that ran it, how far it got and where it runs", async () => {
    const result = page.getByTestId("commit-result").filter({ hasText: commit.sha });
    await expect(result).toBeVisible();
    for (const name of commit.pipelines)
      await expect(result.getByTestId("commit-execution").filter({ hasText: name }).first()).toBeVisible();
    await expect(result.getByTestId("commit-execution").first()).toContainText(/stage \d+ of \d+|No stage recorded/);
    await expect(result.getByRole("heading", { name: "Where it runs now" })).toBeVisible();
  });

  await test.step("a prefix too short is refused in words", async () => {
    await page.goto("/search?q=ab");
    // Next's route announcer is an alert too: the refusal is the one that says why.
    await expect(page.getByRole("alert").filter({ hasText: "at least 4" })).toBeVisible();
  });
});

test("every row of a fleet larger than a page is reachable through the pager, and found by search", async ({
  page,
  users,
  db,
}) => {
  const tag = randomBytes(4).toString("hex");
  const target = `e2e-fleet-${tag}`;
  const repository = `e2e-fleet-${tag}/services`;
  const count = 230;
  const names = Array.from({ length: count }, (_, i) => `e2e-fleet-${tag}-${String(i).padStart(3, "0")}`);
  // Rows of a target the sync engine does not know, so it leaves them alone; removed afterwards.
  await db.query(
    `INSERT INTO "Target" (id, "accountId", region, "lastSuccessAt") VALUES ($1, '999999999999', 'eu-west-1', now())`,
    [target],
  );
  await db.query(
    `INSERT INTO "Repository" (id, "fullName", owner, name, "githubId", "githubIdSource", "githubFullName")
     VALUES ($1, $2, split_part($2, '/', 1), split_part($2, '/', 2), $3, 'user-repository-list', $2)`,
    [`r-${tag}`, repository, String(8_000_000_000_000 + parseInt(tag, 16))],
  );
  await db.query(
    `INSERT INTO "Pipeline" (id, "targetId", name, "repositoryId", version, "latestStatus", "latestStartTime", "updatedAt")
     SELECT 'p-' || $1 || '-' || i, $2, name, $3, 1, 'Succeeded', now() - make_interval(mins => i::integer), now()
     FROM unnest($4::text[]) WITH ORDINALITY AS n(name, i)`,
    [tag, target, `r-${tag}`, names],
  );
  try {
    const viewer = await users.create({ repositories: [repository] });
    await viewer.login(page);
    await page.goto("/");
    const seen = new Set<string>();
    const collect = async () => {
      for (const text of await page.getByTestId("pipeline").getByRole("link").allTextContents())
        if (text.startsWith(`e2e-fleet-${tag}-`)) seen.add(text);
    };

    await test.step("page 1 of 3, then each next page", async () => {
      await expect(page.getByRole("navigation", { name: "Overview pages" })).toContainText(
        `Pipelines 1–100 of ${count}`,
      );
      await expect(page.getByTestId("pipeline")).toHaveCount(100);
      await collect();
      await page.getByRole("navigation", { name: "Overview pages" }).getByRole("link", { name: "Page 2" }).click();
      await expect(page).toHaveURL(/\?page=2$/);
      await collect();
      await page.getByRole("navigation", { name: "Overview pages" }).getByRole("link", { name: "Next" }).click();
      await expect(page).toHaveURL(/\?page=3$/);
      await expect(page.getByRole("navigation", { name: "Overview pages" })).toContainText(
        `Pipelines 201–230 of ${count}`,
      );
      await expect(page.getByTestId("pipeline")).toHaveCount(30);
      await collect();
    });
    expect([...seen].sort()).toEqual(names);

    await test.step("the search filters every pipeline on the server, the last one included", async () => {
      const last = (await page.getByTestId("pipeline").getByRole("link").allTextContents())
        .filter((t) => t.startsWith(`e2e-fleet-${tag}-`))
        .at(-1);
      expect(last).toBeTruthy();
      await page.goto(`/?q=${encodeURIComponent(last ?? "")}`);
      await expect(page.getByTestId("pipeline")).toHaveCount(1);
      await expect(page.getByTestId("pipeline")).toContainText(last ?? "");
      await expect(page.getByRole("navigation", { name: "Overview pages" })).toHaveCount(0);
    });
  } finally {
    await db.query(`DELETE FROM "Pipeline" WHERE "targetId" = $1`, [target]);
    await db.query(`DELETE FROM "Repository" WHERE id = $1`, [`r-${tag}`]);
    await db.query(`DELETE FROM "Target" WHERE id = $1`, [target]);
  }
});
