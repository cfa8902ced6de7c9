import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkResponse } from "./test-support/github-description";
import { signIn } from "./test-support/github-client";
import type { InstalledApp, StandInWithState } from "./test-support/installed-app";
import { installApp, startWithState } from "./test-support/installed-app";

// GitHub's own clients, as Stageboard's write-back will use them: @octokit/auth-app signs the App's JWT and trades
// it for an installation token, and @octokit/rest makes every check-run, status, deployment and environment call.

let standIn: StandInWithState;
let stageboard: InstalledApp;

beforeAll(async () => {
  standIn = await startWithState();
  stageboard = installApp(standIn.state, {
    name: "Stageboard",
    account: "acme",
    permissions: { checks: "write", statuses: "write", deployments: "write" },
  });
});
afterAll(() => standIn.stop());

interface Exchange {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

function recorded(client: Octokit): Exchange[] {
  const exchanges: Exchange[] = [];
  client.hook.after("request", (response, options) => {
    exchanges.push({
      method: options.method,
      url: response.url,
      status: response.status,
      contentType: response.headers["content-type"] ?? null,
      // A copy: Octokit's paginator unwraps {total_count, check_runs} in place once the hook has run.
      body: structuredClone<unknown>(response.data),
    });
  });
  return exchanges;
}

/** Every response that departs from GitHub's OpenAPI description. */
function undocumented(exchanges: Exchange[]): string[] {
  return exchanges.flatMap(({ method, url, status, contentType, body }) => {
    const path = new URL(url).pathname.slice("/api/v3".length);
    return checkResponse(method, path, status, contentType, body).errors.map((e) => `${method} ${path}: ${e}`);
  });
}

function asInstallation(): Octokit {
  return new Octokit({
    baseUrl: `${standIn.url}/api/v3`,
    userAgent: "stand-in-write-back-client",
    authStrategy: createAppAuth,
    auth: {
      appId: stageboard.app.id,
      privateKey: stageboard.privateKeyPem,
      installationId: stageboard.installation.id,
    },
  });
}

describe("@octokit/auth-app with @octokit/rest", () => {
  it("reports an execution as a check run, a commit status and a deployment, and reads each back", async () => {
    const octokit = asInstallation();
    const exchanges = recorded(octokit);
    const [owner, repo, headSha] = ["acme", "web-app", "7".repeat(40)];

    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name: "Stageboard / web-app",
      head_sha: headSha,
      status: "in_progress",
      external_id: "execution-1",
      details_url: "https://stageboard.example/executions/1",
      output: { title: "Deploying", summary: "Stage Deploy is running" },
    });
    const completed = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      conclusion: "success",
      output: { title: "Deployed", summary: "Every stage succeeded" },
    });
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, { owner, repo, ref: headSha, per_page: 1 });
    const suites = await octokit.rest.checks.listSuitesForRef({ owner, repo, ref: headSha });

    await octokit.rest.repos.createCommitStatus({ owner, repo, sha: headSha, state: "success", context: "stageboard" });
    const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { owner, repo, ref: headSha });

    const deployment = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: headSha,
      environment: "staging",
      auto_merge: false,
      required_contexts: [],
      payload: { execution: "execution-1" },
    });
    if (!("id" in deployment.data)) throw new Error(`no deployment: ${JSON.stringify(deployment.data)}`);
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deployment.data.id,
      state: "success",
      environment_url: "https://staging.example.com",
    });
    const found = await octokit.paginate(octokit.rest.repos.listDeployments, {
      owner,
      repo,
      sha: headSha,
      environment: "staging",
    });
    const deploymentStatuses = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: deployment.data.id,
    });
    const environment = await octokit.rest.repos.getEnvironment({ owner, repo, environment_name: "staging" });

    expect({
      run: [completed.data.status, completed.data.conclusion, completed.data.app?.slug],
      listed: runs.map((r) => r.id),
      suites: suites.data.check_suites.map((s) => [s.status, s.conclusion]),
      statuses: statuses.map((s) => [s.context, s.state, s.creator?.login]),
      deployments: found.map((d) => [d.id, d.creator?.login, d.payload]),
      deploymentStates: deploymentStatuses.data.map((s) => s.state),
      environment: environment.data.name,
    }).toEqual({
      run: ["completed", "success", "stageboard"],
      listed: [created.data.id],
      suites: [["completed", "success"]],
      statuses: [["stageboard", "success", "stageboard[bot]"]],
      deployments: [[deployment.data.id, "stageboard[bot]", { execution: "execution-1" }]],
      deploymentStates: ["success"],
      environment: "staging",
    });
    // The token exchange auth-app made is among them.
    expect(
      exchanges.some((e) => e.url.endsWith(`/app/installations/${stageboard.installation.id}/access_tokens`)),
    ).toBe(true);
    expect(undocumented(exchanges)).toEqual([]);
  });

  it("gets GitHub's refusal when a user's token tries to create a check run", async () => {
    const octokit = new Octokit({ baseUrl: `${standIn.url}/api/v3`, auth: await signIn(standIn.url, "ada") });
    const refused: unknown = await octokit.rest.checks
      .create({ owner: "acme", repo: "web-app", name: "x", head_sha: "8".repeat(40) })
      .catch((error: unknown) => error);
    expect(Reflect.get(Object(refused), "status")).toBe(403);
    expect(String(Reflect.get(Object(refused), "message"))).toMatch(/^You must authenticate via a GitHub App\./);
  });
});
