import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { findFreePort } from "../lib/server/net/free-port";
import { embeddedDatabaseUrl } from "./environment";

// Sign-in through the GitHub App's user authorization (GITHUB_SIGN_IN=github-app) on a second Stageboard next to the
// e2e stack (which signs in through the OAuth App), reusing the production build, with ports and a data folder of
// its own. Its GitHub stand-in runs the demo App, installed on all of acme and globex.
type Run = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

function startStageboard(dataDir: string, port: number, pgPort: number, githubPort: number): Run {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      STAGEBOARD_DATA_DIR: dataDir,
      STAGEBOARD_POSTGRES_PORT: String(pgPort),
      STAGEBOARD_GITHUB_PORT: String(githubPort),
      STAGEBOARD_SANDBOX_PIPELINES: "8",
      STAGEBOARD_SANDBOX_HISTORY_DAYS: "1",
      SYNC_REQUESTS_PER_SECOND: "100",
      // Short, so the next page after the token is made to near its expiry asks GitHub (and renews) at once.
      REPOSITORY_CACHE_TTL_SECONDS: "2",
      GITHUB_SIGN_IN: "github-app",
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      GITHUB_CLIENT_ID: "",
      AWS_REGION: "",
      STAGEBOARD_TARGETS: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

async function query(dataDir: string, pgPort: number, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir, pgPort) });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

test(
  "a person signs in through the GitHub App, sees an installed repository's pipeline, and is signed out cleanly once GitHub refuses to renew",
  { tag: "@serial" },
  async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    const dataDir = `.data/e2e-app-sign-in-${testInfo.workerIndex}-${process.pid}`;
    const [port, pgPort, githubPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
    const appUrl = `http://localhost:${port}`;
    const githubUrl = `http://127.0.0.1:${githubPort}`;
    rmSync(dataDir, { recursive: true, force: true });
    const run = startStageboard(dataDir, port, pgPort, githubPort);
    try {
      await expect.poll(() => run.output(), { timeout: 150_000, intervals: [250] }).toContain("Stageboard is running");

      await test.step("sign in through the App's consent page, asked for no scopes", async () => {
        await page.goto(`${appUrl}/`);
        await expect(page).toHaveURL(/\/login/);
        await page.getByRole("button", { name: "Sign in with GitHub" }).click();
        await expect(page).toHaveURL(new RegExp(`^${githubUrl}/login/oauth/authorize`));
        const authorizeUrl = new URL(page.url());
        expect(authorizeUrl.searchParams.get("client_id")).toBe("Iv23liStageboardDev0");
        expect(authorizeUrl.searchParams.get("scope") ?? "").toBe("");
        await page.getByRole("radio", { name: /@ada\)/ }).check();
        await page.getByRole("button", { name: "Authorize" }).click();
        await expect(page).toHaveURL(`${appUrl}/`);
      });

      await test.step("the overview shows acme's repositories, which the App is installed on", async () => {
        await expect(page.getByRole("heading", { level: 2, name: /^acme\// }).first()).toBeVisible({
          timeout: 60_000,
        });
        const [account] = await query(
          dataDir,
          pgPort,
          `SELECT a.scope, a.expires_at, a.refresh_token IS NOT NULL AS "hasRefresh" FROM "Account" a
             JOIN "User" u ON u.id = a."userId" WHERE u.login = 'ada'`,
        );
        expect(account).toMatchObject({ scope: "", hasRefresh: true });
        expect(Number(account?.expires_at)).toBeGreaterThan(Date.now() / 1000 + 7 * 3600);
      });

      await test.step("GitHub revokes the authorization and the token nears its expiry: signed out, told why", async () => {
        const revoked = await fetch(`${githubUrl}/_stand-in/apps/authorizations/revoke`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ login: "ada", app: "stageboard-dev" }),
        });
        expect(revoked.status).toBe(200);
        await query(
          dataDir,
          pgPort,
          `UPDATE "Account" SET expires_at = $1 WHERE "userId" = (SELECT id FROM "User" WHERE login = 'ada')`,
          [Math.floor(Date.now() / 1000) + 60],
        );
        // The first page after the cache's short TTL renews, is refused and ends the sessions; the next is sign-in.
        await expect
          .poll(
            async () => {
              await page.goto(`${appUrl}/`);
              return new URL(page.url()).pathname;
            },
            { timeout: 30_000, intervals: [1_000] },
          )
          .toBe("/login");
        await expect(page.getByRole("alert").filter({ hasText: /GitHub ended your sign-in/ })).toBeVisible();
        const sessions = await query(
          dataDir,
          pgPort,
          `SELECT count(*)::int AS n FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.login = 'ada'`,
        );
        expect(sessions[0]?.n).toBe(0);
        // No loop: the sign-in page stays put, with its button.
        await page.reload();
        await expect(page).toHaveURL(/\/login/);
        await expect(page.getByRole("button", { name: "Sign in with GitHub" })).toBeVisible();
      });
    } finally {
      if (run.process.exitCode === null && run.process.signalCode === null) {
        run.process.kill("SIGTERM");
        await run.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
);
