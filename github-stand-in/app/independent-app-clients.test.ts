import { App } from "@octokit/app";
import { createAppAuth } from "@octokit/auth-app";
import { exchangeWebFlowCode, refreshToken } from "@octokit/oauth-methods";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { AppCredentials, RunningGitHubStandIn, StandInAppOptions } from "../index";
import { checkResponse } from "../test-support/github-description";

// GitHub's own App clients, which nobody here wrote: the stand-in is checked against their reading of GitHub.

const CALLBACK = "http://localhost:3000/api/github-app/callback";
const APP: StandInAppOptions = {
  name: "Stageboard CI",
  owner: "acme",
  public: true,
  callbackUrls: [CALLBACK],
  permissions: { checks: "write", statuses: "write", contents: "read" },
  events: ["check_run"],
  installations: [{ account: "acme", repositories: ["web-app", "api"] }, { account: "globex" }],
};

// Octokit logs each failed request and auth-app's clock warnings; the tests assert on the exchanges instead.
const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Exchange {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

/** A fetch that records every request and response a client makes, retries included. */
function recordingFetch(exchanges: Exchange[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const text = await response.clone().text();
    exchanges.push({
      method: request.method,
      url: request.url,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: text === "" ? null : (JSON.parse(text) as unknown),
    });
    return response;
  };
}

/** Every recorded REST response that departs from GitHub's OpenAPI description. */
function undocumented(base: string, exchanges: Exchange[]): string[] {
  return exchanges
    .filter((e) => new URL(e.url).pathname.startsWith("/api/v3/"))
    .flatMap(({ method, url, status, contentType, body }) => {
      const path = new URL(url).pathname.slice("/api/v3".length);
      return checkResponse(method, path, status, contentType, body).errors.map((e) => `${method} ${path}: ${e}`);
    })
    .concat(exchanges.filter((e) => !e.url.startsWith(base)).map((e) => `${e.method} ${e.url}: left the stand-in`));
}

function octokitFor(base: string, exchanges: Exchange[]) {
  return Octokit.defaults({
    baseUrl: `${base}/api/v3`,
    userAgent: "stand-in-app-clients",
    request: { fetch: recordingFetch(exchanges) },
  });
}

describe("@octokit/app", () => {
  let standIn: RunningGitHubStandIn;
  let credentials: AppCredentials;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    standIn = await startGitHubStandIn({ apps: [APP] });
    [credentials] = standIn.apps as [AppCredentials];
  });
  afterAll(() => standIn.stop());

  const app = () =>
    new App({
      appId: credentials.id,
      privateKey: credentials.privateKey,
      Octokit: octokitFor(standIn.url, exchanges),
      log: SILENT,
    });

  it("builds the installation URL from GET /app, and the stand-in serves that page", async () => {
    const url = await app().getInstallationUrl({ state: "abc" });
    expect(url).toBe(`${standIn.url}/apps/stageboard-ci/installations/new?state=abc`);
    const forAda = await app().getInstallationUrl({ target_id: 1001 });
    expect(forAda).toBe(`${standIn.url}/apps/stageboard-ci/installations/new/permissions?target_id=1001`);
    const page = await fetch(forAda);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="account" value="ada" checked');
    expect(undocumented(standIn.url, exchanges)).toEqual([]);
  });

  it("walks every installation and every repository they reach, and writes as the App's bot", async () => {
    const each = app();
    const installations: string[] = [];
    for await (const { installation } of each.eachInstallation.iterator()) {
      installations.push(`${installation.id}:${installation.account?.login ?? "?"}`);
    }
    const repositories: string[] = [];
    for await (const { repository } of each.eachRepository.iterator()) repositories.push(repository.full_name);
    expect(installations).toEqual(credentials.installations.map((i) => `${i.id}:${i.account}`));
    expect(repositories).toEqual(["acme/api", "acme/web-app", "globex/inventory", "globex/storefront"]);

    const installationOctokit = await each.getInstallationOctokit(credentials.installations[0]?.id ?? 0);
    const status = await installationOctokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
      owner: "acme",
      repo: "web-app",
      sha: "d".repeat(40),
      state: "success",
      context: "stageboard/pipeline",
    });
    expect(status.data.creator).toMatchObject({ login: "stageboard-ci[bot]", type: "Bot" });
    const payments = await installationOctokit
      .request("GET /repos/{owner}/{repo}", {
        owner: "acme",
        repo: "payments",
      })
      .then(
        () => 200,
        (error: { status: number }) => error.status,
      );
    expect(payments).toBe(404);
    expect(undocumented(standIn.url, exchanges)).toEqual([]);
  });
});

describe("@octokit/auth-app", () => {
  it("mints narrowed installation tokens and reads back what GitHub would say about them", async () => {
    // A stopped clock near the real one, so auth-app's JWT (signed with the real time) is current.
    const clock = Math.floor(Date.now() / 1000) * 1000;
    const standIn = await startGitHubStandIn({ apps: [APP], now: () => clock });
    const exchanges: Exchange[] = [];
    try {
      const [credentials] = standIn.apps as [AppCredentials];
      const auth = createAppAuth({
        appId: credentials.id,
        privateKey: credentials.privateKey,
        request: new (octokitFor(standIn.url, exchanges))().request,
      });
      const token = await auth({
        type: "installation",
        installationId: credentials.installations[0]?.id ?? 0,
        repositoryNames: ["web-app"],
        permissions: { checks: "write" },
      });
      expect(token).toMatchObject({
        tokenType: "installation",
        permissions: { checks: "write", metadata: "read" },
        repositorySelection: "selected",
        repositoryNames: ["web-app"],
      });
      expect(token.token).toMatch(/^ghs_/);
      expect(token.expiresAt).toBe(new Date(clock + 3600 * 1000).toISOString().replace(".000Z", "Z"));
      expect(undocumented(standIn.url, exchanges)).toEqual([]);
    } finally {
      await standIn.stop();
    }
  });

  // The stand-in's clock runs 15 minutes ahead (then 5 behind): the first JWT is refused with GitHub's message,
  // auth-app reads the skew from the Date header and its one retry succeeds.
  for (const skewMinutes of [15, -5]) {
    it(`recovers from a clock ${skewMinutes > 0 ? "behind" : "ahead of"} GitHub's by ${Math.abs(skewMinutes)} minutes`, async () => {
      const standIn = await startGitHubStandIn({ apps: [APP], now: () => Date.now() + skewMinutes * 60_000 });
      const exchanges: Exchange[] = [];
      try {
        const [credentials] = standIn.apps as [AppCredentials];
        const octokit = new (octokitFor(standIn.url, exchanges))({
          authStrategy: createAppAuth,
          auth: { appId: credentials.id, privateKey: credentials.privateKey },
          log: SILENT,
        });
        const { data } = await octokit.request("GET /app");
        expect(data?.id).toBe(credentials.id);
        expect(exchanges.map((e) => e.status)).toEqual([401, 200]);
        expect((exchanges[0]?.body as { message: string }).message).toMatch(
          skewMinutes > 0 ? /'Expiration time' claim \('exp'\)/ : /'Issued at' claim \('iat'\)/,
        );
        expect(undocumented(standIn.url, exchanges)).toEqual([]);
      } finally {
        await standIn.stop();
      }
    });
  }
});

describe("@octokit/oauth-methods for a GitHub App", () => {
  it("exchanges a code for an expiring user token and refreshes it, once", async () => {
    const clock = Date.UTC(2026, 0, 5, 9, 0, 0);
    const standIn = await startGitHubStandIn({ apps: [APP], now: () => clock });
    const exchanges: Exchange[] = [];
    try {
      const [credentials] = standIn.apps as [AppCredentials];
      const consent = await fetch(`${standIn.url}/login/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          client_id: credentials.clientId,
          redirect_uri: CALLBACK,
          login: "linus",
          decision: "authorize",
        }),
      });
      const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
      const request = new (octokitFor(standIn.url, exchanges))().request;
      const common = {
        clientType: "github-app" as const,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      };
      const { authentication } = await exchangeWebFlowCode({
        ...common,
        code,
        redirectUrl: CALLBACK,
        request,
      });
      if (!("refreshToken" in authentication)) throw new Error("no refresh token in the answer");
      // Octokit dates the expiry from the Date header: the stand-in's clock, not the test machine's.
      expect(authentication.expiresAt).toBe(new Date(clock + 8 * 3600 * 1000).toISOString());
      expect(authentication.refreshTokenExpiresAt).toBe(new Date(clock + 15897600 * 1000).toISOString());

      const refreshed = await refreshToken({ ...common, refreshToken: authentication.refreshToken, request });
      expect(refreshed.authentication.token).toMatch(/^ghu_/);
      expect(refreshed.authentication.token).not.toBe(authentication.token);
      const reused = await refreshToken({
        ...common,
        refreshToken: authentication.refreshToken,
        request,
      }).then(
        () => "accepted",
        (error: Error) => error.message,
      );
      expect(reused).toMatch(/bad_refresh_token/);

      const user = new (octokitFor(standIn.url, exchanges))({ auth: refreshed.authentication.token });
      const repos = await user.paginate(user.rest.repos.listForAuthenticatedUser);
      expect(repos.map((r) => r.full_name)).toEqual(["acme/web-app"]);
      const installations = await user.request("GET /user/installations");
      expect(
        installations.data.installations.map((i) => (i.account && "login" in i.account ? i.account.login : null)),
      ).toEqual(["acme"]);
      expect(undocumented(standIn.url, exchanges)).toEqual([]);
    } finally {
      await standIn.stop();
    }
  });
});
