import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

let standIn: StandInWithState;
let stageboard: InstalledApp;
let ada: string;
const SHA = "4".repeat(40);
const HOSTILE = `<script>alert("x")</script>"><img src=x onerror=alert(1)>`;

beforeAll(async () => {
  standIn = await startWithState();
  stageboard = installApp(standIn.state, {
    name: "Stageboard",
    account: "acme",
    permissions: { checks: "write", statuses: "write", deployments: "write" },
  });
  ada = await signIn(standIn.url, "ada");
  const token = stageboard.token();
  const post = (path: string, body: Record<string, unknown>) =>
    api(standIn.url, "POST", `/repos/acme/web-app${path}`, { token, body });
  await post("/check-runs", {
    name: `deploy ${HOSTILE}`,
    head_sha: SHA,
    conclusion: "failure",
    details_url: "javascript:alert(1)",
    output: { title: "Deploy failed", summary: `Stage **Deploy** failed\n${HOSTILE}` },
  });
  await post("/check-runs", {
    name: "approve",
    head_sha: SHA,
    status: "in_progress",
    details_url: "https://stageboard.example/approvals/1",
  });
  await post(`/statuses/${SHA}`, {
    state: "success",
    context: "stageboard/build",
    description: HOSTILE.slice(0, 100),
    target_url: "https://stageboard.example/runs/1",
  });
  const deployment = await post("/deployments", {
    ref: SHA,
    environment: "staging",
    auto_merge: false,
    required_contexts: [],
  });
  await post(`/deployments/${(deployment.body as { id: number }).id}/statuses`, {
    state: "success",
    environment_url: "https://staging.example.com",
  });
  await control(standIn.url, "/check-suites", { repository: "acme/web-app", sha: SHA });
});
afterAll(() => standIn.stop());

async function page(path: string) {
  const response = await fetch(`${standIn.url}${path}`, { redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

const count = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

describe("the commit page", () => {
  it("shows the checks area: each run, the suite still waiting, the statuses and the deployments", async () => {
    const { status, headers, html } = await page(`/acme/web-app/commit/${SHA}`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(count(html, "check-run")).toBe(2);
    expect(count(html, "check-suite-waiting")).toBe(1);
    expect(count(html, "commit-status")).toBe(1);
    expect(count(html, "deployment")).toBe(1);
    expect(html).toContain('data-testid="checks-verdict" data-verdict="failing"');
    expect(html).toContain('data-name="approve" data-status="in_progress" data-conclusion=""');
    expect(html).toContain('data-environment="staging" data-state="success"');
    expect(html).toContain("Deploy failed");
  });

  it("escapes everything callers wrote and links only to http(s) URLs", async () => {
    const { html } = await page(`/acme/web-app/commit/${SHA}`);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(hrefs(html).filter((h) => !h?.startsWith("/"))).toEqual([
      "https://stageboard.example/approvals/1",
      "https://stageboard.example/runs/1",
      "https://staging.example.com",
    ]);
    expect(html).not.toContain("javascript:");
  });

  it("says when a commit has nothing reported, and opens a check run at its place on the commit page", async () => {
    const empty = await page(`/acme/web-app/commit/${"5".repeat(40)}`);
    expect(empty.html).toContain('data-verdict="none"');
    const run = standIn.state.records.checks.runsFor("acme/web-app", SHA)[0];
    const redirect = await page(`/acme/web-app/runs/${run?.id}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`/acme/web-app/commit/${SHA}#check-run-${run?.id}`);
    // A repository the stand-in does not have is left to the REST router, which answers at the root too.
    expect((await page(`/acme/nope/commit/${SHA}`)).status).toBe(404);
  });
});

describe("the Environments view", () => {
  it("shows what is deployed where, and one environment's history when filtered", async () => {
    const older = await api(standIn.url, "POST", "/repos/acme/web-app/deployments", {
      token: ada,
      body: { ref: "6".repeat(40), environment: "production", auto_merge: false, required_contexts: [] },
    });
    await api(standIn.url, "POST", `/repos/acme/web-app/deployments/${(older.body as { id: number }).id}/statuses`, {
      token: ada,
      body: { state: "failure" },
    });
    const all = await page("/acme/web-app/deployments");
    expect(all.status).toBe(200);
    expect(count(all.html, "environment")).toBe(2);
    expect(all.html).toContain(`data-testid="active-deployment" data-sha="${SHA}" data-state="success"`);
    expect(count(all.html, "no-active-deployment")).toBe(1);
    const production = await page("/acme/web-app/deployments/activity_log?environments_filter=production");
    expect(count(production.html, "environment")).toBe(1);
    expect(production.html).toContain(
      'data-testid="environment-deployment" data-sha="6666666666666666666666666666666666666666" data-state="failure"',
    );
    // The environment's html_url in the API leads here.
    const env = await api(standIn.url, "GET", "/repos/acme/web-app/environments/production", { token: ada });
    expect((env.body as { html_url: string }).html_url).toBe(
      `${standIn.url}/acme/web-app/deployments/activity_log?environments_filter=production`,
    );
  });
});
