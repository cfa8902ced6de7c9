import { readFileSync } from "node:fs";
import { E2E } from "./environment";
import { expect, signInThroughGitHub, test } from "./fixtures";

test("signing in writes no token, session cookie or secret to the logs", async ({ page, dedicated }) => {
  const person = await dedicated.githubUser();
  await person.grant("acme/api", "write");
  await signInThroughGitHub(page, person.login);
  // Its access was read from GitHub with the new token.
  await expect(page.getByRole("heading", { level: 2, name: "acme/api" })).toBeVisible();
  const session = (await page.context().cookies(E2E.appUrl)).find((c) => c.name === "next-auth.session-token");
  expect(session?.value.length).toBeGreaterThan(20);
  const secrets = JSON.parse(readFileSync(`${E2E.dataDir}/secrets.json`, "utf8")) as Record<string, string>;
  const log = readFileSync(E2E.serverLog, "utf8");
  expect(log.length).toBeGreaterThan(0);
  expect(log).not.toMatch(/gh[opsu]_[A-Za-z0-9]{10,}/);
  expect(log).not.toContain(session?.value ?? "<none>");
  for (const value of Object.values(secrets)) expect(log).not.toContain(value);
});
