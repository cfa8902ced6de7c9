import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "./index";
import type { RunningGitHubStandIn } from "./index";
import { checkResponse } from "./test-support/github-description";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, authorize, control, signIn } from "./test-support/github-client";

// Clients nobody here wrote (Debian packages `curl` and `python3-github`), so the stand-in is checked
// against someone else's reading of GitHub rather than only against these tests' own.
const run = promisify(execFile);
const SYSTEM_PYTHON = "/usr/bin/python3";
const PYGITHUB_SCRIPT = fileURLToPath(new URL("./test-support/pygithub-client.py", import.meta.url));

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

describe("curl", () => {
  it("redeems a code form-encoded with credentials as -u, and reads GitHub-style headers", async () => {
    const code = (await authorize(standIn.url, "grace", "repo user")).searchParams.get("code") ?? "";
    const exchange = await run("curl", [
      "-sS",
      "-u",
      `${CLIENT_ID}:${CLIENT_SECRET}`,
      "--data-urlencode",
      `code=${code}`,
      "--data-urlencode",
      `redirect_uri=${CALLBACK}`,
      `${standIn.url}/login/oauth/access_token`,
    ]);
    const fields = new URLSearchParams(exchange.stdout);
    expect(fields.get("token_type")).toBe("bearer");
    expect(fields.get("scope")).toBe("repo,user");
    const token = fields.get("access_token") ?? "";

    const user = await run("curl", ["-sS", "-i", "-H", `Authorization: token ${token}`, `${standIn.url}/api/v3/user`]);
    const [head = "", body = ""] = user.stdout.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/^x-oauth-scopes: repo, user$/im);
    expect(head).toMatch(/^x-ratelimit-remaining: 4999$/im);
    const profile: unknown = JSON.parse(body);
    expect(profile).toMatchObject({ login: "grace", email: "grace@example.com" });
    expect(
      checkResponse("GET", "/user", 200, /^content-type: (.*)$/im.exec(head)?.[1] ?? null, profile).errors,
    ).toEqual([]);
  });
});

describe("PyGithub 1.55", () => {
  it("signs in with a stand-in token, pages repositories through Link headers and creates a deployment", async () => {
    const token = await signIn(standIn.url, "ada");
    const probe = await run(SYSTEM_PYTHON, ["-c", "import github"]).catch(() => null);
    if (!probe) throw new Error("PyGithub missing: apt-get install python3-github");
    const { stdout } = await run(SYSTEM_PYTHON, [PYGITHUB_SCRIPT, standIn.url, token], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({
      login: "ada",
      email: "ada@example.com",
      repositories: ["acme/api", "acme/payments", "acme/web-app", "globex/inventory", "globex/storefront"],
      orgs: ["acme"],
      push_on_web_app: true,
      linus_permission: "read",
      deployment_environment: "staging",
      deployment_status: "in_progress",
      bad_credentials: "Bad credentials",
    });
    const deployments = (await control(standIn.url, "/deployments")).body as {
      description: string;
      statuses: { description: string }[];
    }[];
    expect(deployments.map((d) => [d.description, d.statuses.map((s) => s.description)])).toEqual([
      ["from PyGithub", ["rolling out"]],
    ]);
  });
});
