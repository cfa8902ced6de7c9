import { exchangeWebFlowCode } from "@octokit/oauth-methods";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "./index";
import type { RunningGitHubStandIn } from "./index";
import { checkResponse } from "./test-support/github-description";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, authorize, control, signIn } from "./test-support/github-client";

// Clients nobody here wrote (Octokit's, the ones GitHub publishes), so the stand-in is checked against
// someone else's reading of GitHub rather than only against these tests' own.

const LOG_URL = "http://localhost:3000/pipelines/web-app/executions/1";

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

interface Exchange {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

interface OctokitResponse {
  url: string;
  status: number;
  headers: object;
  data: unknown;
}

function isRequestError(error: unknown): error is Error & { status: number; response?: OctokitResponse } {
  return error instanceof Error && typeof Reflect.get(error, "status") === "number";
}

/** An Octokit on the stand-in's REST base that records every response it gets, errors included. */
function octokit(auth?: string, exchanges: Exchange[] = []): { client: Octokit; exchanges: Exchange[] } {
  const client = new Octokit({ baseUrl: `${standIn.url}/api/v3`, userAgent: "stand-in-independent-client", auth });
  const record = (method: string, response: OctokitResponse) =>
    exchanges.push({
      method,
      url: response.url,
      status: response.status,
      contentType: (Reflect.get(response.headers, "content-type") as string | undefined) ?? null,
      body: response.data,
    });
  client.hook.after("request", (response, options) => void record(options.method, response));
  client.hook.error("request", (error, options) => {
    if (isRequestError(error) && error.response) record(options.method, error.response);
    throw error;
  });
  return { client, exchanges };
}

/** Every recorded response that departs from GitHub's OpenAPI description, or left the REST base. */
function undocumented(exchanges: Exchange[]): string[] {
  const base = `${standIn.url}/api/v3/`;
  return exchanges.flatMap(({ method, url, status, contentType, body }) => {
    if (!url.startsWith(base)) return [`${method} ${url}: not under ${base}`];
    const path = new URL(url).pathname.slice("/api/v3".length);
    return checkResponse(method, path, status, contentType, body).errors.map((e) => `${method} ${path}: ${e}`);
  });
}

describe("@octokit/oauth-methods", () => {
  it("redeems a code with the client's credentials in a JSON body, and reads GitHub-style headers", async () => {
    const code = (await authorize(standIn.url, "grace", "repo user")).searchParams.get("code") ?? "";
    // oauth-methods derives the OAuth host from the REST base, as for GitHub Enterprise Server.
    const { data, authentication } = await exchangeWebFlowCode({
      clientType: "oauth-app",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      code,
      redirectUrl: CALLBACK,
      request: octokit().client.request,
    });
    expect(data.token_type).toBe("bearer");
    expect(data.scope).toBe("repo,user");
    expect(authentication.token).toBe(data.access_token);

    const { client, exchanges } = octokit(authentication.token);
    const user = await client.rest.users.getAuthenticated();
    expect(user.status).toBe(200);
    expect(user.headers["x-oauth-scopes"]).toBe("repo, user");
    expect(user.headers["x-ratelimit-remaining"]).toBe("4999");
    expect(user.data).toMatchObject({ login: "grace", email: "grace@example.com" });
    expect(exchanges).toHaveLength(1);
    expect(undocumented(exchanges)).toEqual([]);
  });
});

describe("@octokit/rest", () => {
  it("signs in with a stand-in token, pages repositories through Link headers and creates a deployment", async () => {
    const { client, exchanges } = octokit(await signIn(standIn.url, "ada"));
    const owner = "acme";
    const repo = "web-app";

    const me = await client.rest.users.getAuthenticated();
    // per_page 2 makes Octokit follow the Link headers' next URLs, each checked to stay on the REST base.
    const repositories = await client.paginate(client.rest.repos.listForAuthenticatedUser, { per_page: 2 });
    const repoPages = exchanges.filter((e) => new URL(e.url).pathname === "/api/v3/user/repos");
    const orgs = await client.paginate(client.rest.orgs.listForAuthenticatedUser);
    const webApp = await client.rest.repos.get({ owner, repo });
    const linus = await client.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: "linus" });
    const deployment = await client.rest.repos.createDeployment({
      owner,
      repo,
      ref: "main",
      auto_merge: false,
      required_contexts: [],
      environment: "staging",
      description: "from Octokit",
    });
    if (!("id" in deployment.data)) throw new Error(`no deployment: ${JSON.stringify(deployment.data)}`);
    const status = await client.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deployment.data.id,
      state: "in_progress",
      description: "rolling out",
      log_url: LOG_URL,
    });
    const badCredentials: unknown = await octokit(`gho_${"x".repeat(36)}`, exchanges)
      .client.rest.users.getAuthenticated()
      .then(
        () => "accepted",
        (error: unknown): unknown =>
          isRequestError(error) ? (Reflect.get(Object(error.response?.data), "message") as unknown) : error,
      );

    expect({
      login: me.data.login,
      email: me.data.email,
      repositories: repositories.map((r) => r.full_name),
      orgs: orgs.map((o) => o.login),
      pushOnWebApp: webApp.data.permissions?.push,
      linusPermission: linus.data.permission,
      deploymentEnvironment: deployment.data.environment,
      deploymentStatus: status.data.state,
      statusUrls: [status.data.log_url, status.data.target_url],
      badCredentials,
    }).toEqual({
      login: "ada",
      email: "ada@example.com",
      repositories: ["acme/api", "acme/payments", "acme/web-app", "globex/inventory", "globex/storefront"],
      orgs: ["acme"],
      pushOnWebApp: true,
      linusPermission: "read",
      deploymentEnvironment: "staging",
      deploymentStatus: "in_progress",
      // Setting log_url sets target_url too.
      statusUrls: [LOG_URL, LOG_URL],
      badCredentials: "Bad credentials",
    });
    expect(repoPages.map((e) => new URL(e.url).searchParams.get("page") ?? "1")).toEqual(["1", "2", "3"]);
    // Every response Octokit got, the 401 included, is one GitHub's description allows.
    expect(exchanges.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 201, 201, 401]);
    expect(undocumented(exchanges)).toEqual([]);

    const deployments = (await control(standIn.url, "/deployments")).body as {
      description: string;
      statuses: { description: string }[];
    }[];
    expect(deployments.map((d) => [d.description, d.statuses.map((s) => s.description)])).toEqual([
      ["from Octokit", ["rolling out"]],
    ]);
  });
});
