import { ListPipelinesCommand } from "@aws-sdk/client-codepipeline";
import { expect, isDedicated, test } from "./fixtures";

// The whole chain: sandbox → sync engine (real AWS SDK over HTTP) → Postgres → server component.
test("the home page lists every pipeline the sandbox holds, under its repositories", async ({
  page,
  users,
  sandbox,
  codepipeline: client,
}) => {
  // The demo fleet only: other specs add pipelines of their own (in repositories of their own) meanwhile.
  const repositories = await sandbox.fleetRepositories();
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const pageOfPipelines = await client.send(new ListPipelinesCommand({ nextToken }));
    names.push(...(pageOfPipelines.pipelines ?? []).map((p) => p.name ?? "").filter((name) => !isDedicated(name)));
    nextToken = pageOfPipelines.nextToken;
  } while (nextToken);
  expect(names.length).toBeGreaterThanOrEqual(10);

  const admin = await users.create({ repositories, isAdmin: true });
  await admin.login(page);
  await expect(async () => {
    await page.goto("/");
    await expect(page.getByTestId("pipeline")).toHaveCount(names.length, { timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000] });
  for (const name of names) await expect(page.getByTestId("pipeline").filter({ hasText: name }).first()).toBeVisible();
  // acme/api's pipelines have GitHub (version 1) sources: mapped to it as soon as they are synced.
  await expect(page.getByTestId("repository").getByRole("heading", { level: 2, name: "acme/api" })).toBeVisible();
  expect(await page.getByTestId("repository").count()).toBeGreaterThanOrEqual(3);
});
