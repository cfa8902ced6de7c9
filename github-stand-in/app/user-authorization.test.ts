import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { AppCredentials, RunningGitHubStandIn } from "../index";
import { CLIENT_ID, CLIENT_SECRET, api, control, signIn } from "../test-support/github-client";

const CALLBACK = "http://localhost:3000/api/github-app/callback";
let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
let standIn: RunningGitHubStandIn;
let board: AppCredentials;
let plain: AppCredentials;

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    now: () => clock,
    apps: [
      {
        name: "Board",
        owner: "acme",
        public: true,
        callbackUrls: [CALLBACK],
        permissions: { checks: "write", statuses: "write", contents: "read" },
        installations: [{ account: "acme", repositories: ["web-app", "api"] }, { account: "globex" }],
      },
      { name: "Plain", owner: "acme", expiringUserTokens: false, installations: [{ account: "acme" }] },
    ],
  });
  [board, plain] = standIn.apps as [AppCredentials, AppCredentials];
});
afterAll(() => standIn.stop());

type TokenAnswer = Record<string, string | number>;

async function tokenRequest(app: AppCredentials, params: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${standIn.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json" },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...params }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TokenAnswer;
}

/** The consent page with the App's client id, then the code for the App's user token. */
async function authorizeApp(app: AppCredentials, login: string, redirectUri = CALLBACK): Promise<URL> {
  const query = new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, state: "st" });
  const page = await fetch(`${standIn.url}/login/oauth/authorize?${query.toString()}`, { redirect: "manual" });
  if (page.status !== 200) return new URL(page.headers.get("location") ?? "");
  expect(await page.text()).toContain(`<h1>Authorize ${app.slug === "board" ? "Board" : "Plain"}</h1>`);
  const consent = await fetch(`${standIn.url}/login/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: redirectUri,
      state: "st",
      login,
      decision: "authorize",
    }),
  });
  return new URL(consent.headers.get("location") ?? "");
}

async function userToken(login: string, app = board): Promise<TokenAnswer> {
  const back = await authorizeApp(app, login);
  return tokenRequest(app, { code: back.searchParams.get("code") ?? "", redirect_uri: CALLBACK });
}

const names = (body: unknown) => (body as { full_name: string }[]).map((r) => r.full_name);

describe("App user authorization", () => {
  it("answers a ghu_ token that expires in 8 hours with a ghr_ refresh token", async () => {
    const answer = await userToken("linus");
    expect(answer).toEqual({
      access_token: expect.stringMatching(/^ghu_[A-Za-z0-9]{36}$/) as unknown,
      expires_in: 28800,
      refresh_token: expect.stringMatching(/^ghr_[A-Za-z0-9]{36}$/) as unknown,
      refresh_token_expires_in: 15897600,
      scope: "",
      token_type: "bearer",
    });
    const me = await api(standIn.url, "GET", "/user", { token: String(answer.access_token) });
    expect(me.body).toMatchObject({ login: "linus" });
  });

  it("gives no refresh token when the App's user tokens do not expire", async () => {
    const answer = await userToken("ada", plain);
    expect(Object.keys(answer).sort()).toEqual(["access_token", "scope", "token_type"]);
  });

  it("sends a redirect_uri that is not a callback URL back to the first callback with redirect_uri_mismatch", async () => {
    const back = await authorizeApp(board, "ada", "http://localhost:3000/elsewhere");
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get("error")).toBe("redirect_uri_mismatch");
  });

  it("rotates both tokens on refresh: the old pair stops working and a reused refresh token is refused", async () => {
    const first = await userToken("ada");
    const refreshed = await tokenRequest(board, {
      grant_type: "refresh_token",
      refresh_token: String(first.refresh_token),
    });
    expect(refreshed).toMatchObject({ expires_in: 28800, refresh_token_expires_in: 15897600, scope: "" });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect((await api(standIn.url, "GET", "/user", { token: String(first.access_token) })).status).toBe(401);
    expect((await api(standIn.url, "GET", "/user", { token: String(refreshed.access_token) })).status).toBe(200);
    const reused = await tokenRequest(board, {
      grant_type: "refresh_token",
      refresh_token: String(first.refresh_token),
    });
    expect(reused).toMatchObject({
      error: "bad_refresh_token",
      error_description: "The refresh token passed is incorrect or expired.",
    });
    const otherClient = await tokenRequest(plain, {
      grant_type: "refresh_token",
      refresh_token: String(refreshed.refresh_token),
    });
    // Another App's credentials cannot trade it; an OAuth App cannot refresh at all.
    expect(otherClient.error).toBe("bad_refresh_token");
    const oauthApp = await fetch(`${standIn.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json" },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_type: "refresh_token",
        refresh_token: String(refreshed.refresh_token),
      }),
    });
    expect(((await oauthApp.json()) as TokenAnswer).error).toBe("unsupported_grant_type");
  });

  it("lets the stand-in's clock expire the user token after 8 hours, while its refresh token still works", async () => {
    const answer = await userToken("grace");
    clock += 8 * 60 * 60 * 1000;
    try {
      const late = await api(standIn.url, "GET", "/user", { token: String(answer.access_token) });
      expect([late.status, (late.body as { message: string }).message]).toEqual([401, "Bad credentials"]);
      const renewed = await tokenRequest(board, {
        grant_type: "refresh_token",
        refresh_token: String(answer.refresh_token),
      });
      expect((await api(standIn.url, "GET", "/user", { token: String(renewed.access_token) })).status).toBe(200);
    } finally {
      clock -= 8 * 60 * 60 * 1000;
    }
  });

  it("expires or revokes a user's App tokens from the control plane", async () => {
    const answer = await userToken("margaret");
    const user = () => api(standIn.url, "GET", "/user", { token: String(answer.access_token) });
    expect((await control(standIn.url, "/apps/user-tokens/expire", { login: "margaret", app: "board" })).body).toEqual({
      expired: 1,
    });
    expect((await user()).status).toBe(401);
    const renewed = await tokenRequest(board, {
      grant_type: "refresh_token",
      refresh_token: String(answer.refresh_token),
    });
    const revoked = await control(standIn.url, "/apps/authorizations/revoke", { login: "margaret", app: "board" });
    expect(revoked.body).toEqual({ revoked: 2 });
    expect((await api(standIn.url, "GET", "/user", { token: String(renewed.access_token) })).status).toBe(401);
    const afterRevoke = await tokenRequest(board, {
      grant_type: "refresh_token",
      refresh_token: String(renewed.refresh_token),
    });
    expect(afterRevoke.error).toBe("bad_refresh_token");
  });
});

describe("what an App user token reaches", () => {
  it("lists only repositories both the user and the App reach", async () => {
    const ada = String((await userToken("ada")).access_token);
    const linus = String((await userToken("linus")).access_token);
    // ada reaches all of acme and globex; Board is installed on acme/web-app, acme/api and all of globex.
    expect(names((await api(standIn.url, "GET", "/user/repos", { token: ada })).body)).toEqual([
      "acme/api",
      "acme/web-app",
      "globex/inventory",
      "globex/storefront",
    ]);
    expect(names((await api(standIn.url, "GET", "/user/repos", { token: linus })).body)).toEqual(["acme/web-app"]);
    expect((await api(standIn.url, "GET", "/repos/acme/payments", { token: ada })).status).toBe(404);
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token: ada })).status).toBe(200);
  });

  it("may do only what both the user and the installation may", async () => {
    const ada = String((await userToken("ada")).access_token);
    const grace = String((await userToken("grace")).access_token);
    const status = (token: string, repository: string) =>
      api(standIn.url, "POST", `/repos/${repository}/statuses/${"c".repeat(40)}`, {
        token,
        body: { state: "success", context: "board" },
      });
    const adaAcme = await status(ada, "acme/web-app");
    expect(adaAcme.status).toBe(201);
    expect((adaAcme.body as { creator: { login: string } }).creator.login).toBe("ada");
    // ada only reads globex: the App's statuses:write does not lift her.
    const adaGlobex = await status(ada, "globex/storefront");
    expect([adaGlobex.status, (adaGlobex.body as { message: string }).message]).toEqual([
      403,
      "Resource not accessible by integration",
    ]);
    expect((await status(grace, "globex/storefront")).status).toBe(201);
  });

  it("lists the user's installations of the App and, per installation, the repositories they share", async () => {
    const [acme, globex] = board.installations.map((i) => i.id);
    const installationsOf = async (login: string) => {
      const token = String((await userToken(login)).access_token);
      const { body } = await api(standIn.url, "GET", "/user/installations", { token });
      return (body as { installations: { id: number }[] }).installations.map((i) => i.id);
    };
    expect(await installationsOf("ada")).toEqual([acme, globex]);
    expect(await installationsOf("linus")).toEqual([acme]);
    expect(await installationsOf("grace")).toEqual([globex]);

    const linus = String((await userToken("linus")).access_token);
    const shared = await api(standIn.url, "GET", `/user/installations/${acme}/repositories`, { token: linus });
    expect(shared.body).toMatchObject({ total_count: 1, repository_selection: "selected" });
    const [repository] = (shared.body as { repositories: { full_name: string; permissions: unknown }[] }).repositories;
    expect(repository).toMatchObject({ full_name: "acme/web-app", permissions: { pull: true, push: false } });
    const notHis = await api(standIn.url, "GET", `/user/installations/${globex}/repositories`, { token: linus });
    expect(notHis.status).toBe(404);
  });

  it("is what /user/installations needs: an OAuth App's token is refused", async () => {
    const oauth = await signIn(standIn.url, "ada");
    const { status, body } = await api(standIn.url, "GET", "/user/installations", { token: oauth });
    expect([status, (body as { message: string }).message]).toEqual([
      403,
      "You must authenticate with an access token authorized to a GitHub App in order to list installations",
    ]);
  });
});
