import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { findFreePort } from "../lib/server/net/free-port";
import { applySetCookies, cookieHeader, type CookieJar } from "../bench/lib/cookie-jar";
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
      // The shortest allowed, so a page soon after the token is made to near its expiry asks GitHub (and renews).
      REPOSITORY_CACHE_TTL_SECONDS: "10",
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

/** The Cookie header of `login`'s session, signed in through the consent page; `check` sees GitHub's authorize URL. */
async function signInThroughGitHub(appUrl: string, login: string, check: (authorize: URL) => void): Promise<string> {
  let jar: CookieJar = new Map();
  const keep = (response: Response) => (jar = applySetCookies(jar, response.headers.getSetCookie(), Date.now()));
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${appUrl}/api/auth/signin/github`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: appUrl, cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${appUrl}/`, json: "true" }),
    redirect: "manual",
  });
  keep(signIn);
  const authorize = new URL(((await signIn.json()) as { url: string }).url);
  check(authorize);
  expect((await fetch(authorize)).status).toBe(200);
  const form = new URLSearchParams(authorize.searchParams);
  form.delete("response_type");
  form.set("login", login);
  form.set("decision", "authorize");
  const consent = await fetch(new URL("/login/oauth/authorize", authorize), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const callback = consent.headers.get("location") ?? "";
  expect(callback.startsWith(`${appUrl}/api/auth/callback/github`)).toBe(true);
  const done = await fetch(callback, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
  keep(done);
  const session = jar.get("next-auth.session-token");
  expect(session).toBeTruthy();
  return `next-auth.session-token=${session ?? ""}`;
}

test(
  "a person signs in through the GitHub App, sees an installed repository, and is signed out cleanly once GitHub refuses to renew",
  { tag: "@serial" },
  async ({}, testInfo) => {
    test.setTimeout(240_000);
    const dataDir = `.data/e2e-app-sign-in-${testInfo.workerIndex}-${process.pid}`;
    const [port, pgPort, githubPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
    const appUrl = `http://localhost:${port}`;
    const githubUrl = `http://127.0.0.1:${githubPort}`;
    rmSync(dataDir, { recursive: true, force: true });
    const run = startStageboard(dataDir, port, pgPort, githubPort);
    try {
      await expect.poll(() => run.output(), { timeout: 150_000, intervals: [250] }).toContain("Stageboard is running");

      // Over HTTP as a browser does (this machine's end-to-end runs may have no Chromium): next-auth's CSRF token, the
      // sign-in POST, the stand-in's consent form and the callback that opens a database session.
      let cookie = "";
      await test.step("sign in through the App's consent page, asked for no scopes", async () => {
        cookie = await signInThroughGitHub(appUrl, "ada", (authorize) => {
          expect(authorize.origin).toBe(githubUrl);
          expect(authorize.searchParams.get("client_id")).toBe("Iv23liStageboardDev0");
          expect(authorize.searchParams.get("scope") ?? "").toBe("");
        });
      });
      const get = (path: string) => fetch(`${appUrl}${path}`, { headers: { cookie }, redirect: "manual" });

      await test.step("the overview shows acme's repositories, which the App is installed on", async () => {
        await expect
          .poll(async () => (await (await get("/")).text()).includes("acme/"), { timeout: 60_000 })
          .toBe(true);
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
        // A page after the cache's short TTL renews, is refused and ends the sessions; the next goes to sign-in.
        await expect
          .poll(
            async () => {
              const response = await get("/");
              return response.status >= 300 && response.status < 400
                ? new URL(response.headers.get("location") ?? "", appUrl).pathname
                : String(response.status);
            },
            { timeout: 30_000, intervals: [1_000] },
          )
          .toBe("/login");
        const login = await get("/login");
        expect(login.status).toBe(200);
        expect(await login.text()).toContain("GitHub ended your sign-in");
        const sessions = await query(
          dataDir,
          pgPort,
          `SELECT count(*)::int AS n FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.login = 'ada'`,
        );
        expect(sessions[0]?.n).toBe(0);
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
