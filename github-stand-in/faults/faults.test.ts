import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

let clock = Date.UTC(2026, 11, 1, 10, 0, 0);
let standIn: StandInWithState;
let stageboard: InstalledApp;
let other: InstalledApp;
let ada: string;

beforeAll(async () => {
  standIn = await startWithState({ now: () => clock });
  const permissions = { checks: "write", statuses: "write", deployments: "write" } as const;
  stageboard = installApp(standIn.state, { name: "Stageboard", account: "acme", permissions });
  other = installApp(standIn.state, { name: "Other", account: "acme", permissions });
  ada = await signIn(standIn.url, "ada");
});
afterAll(() => standIn.stop());
beforeEach(() => control(standIn.url, "/faults", { clear: true }));

let shaCounter = 0;
const newSha = () => (++shaCounter).toString(16).padStart(40, "c");

/** Raw fetch: a 502 or a dropped connection is no answer GitHub's description covers. */
async function createRun(token: string, sha: string, name = "deploy") {
  const response = await fetch(`${standIn.url}/api/v3/repos/acme/web-app/check-runs`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/json", "user-agent": "faults-test" },
    body: JSON.stringify({ name, head_sha: sha }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { message?: string } };
}

const runsOn = async (sha: string) =>
  (
    (await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-runs`, { token: ada })).body as {
      total_count: number;
    }
  ).total_count;

describe("secondary rate limit", () => {
  it("answers the next N content-creating requests 403 with GitHub's body and retry-after, reads untouched", async () => {
    await control(standIn.url, "/faults", { secondaryLimit: { count: 2, retryAfter: 30 } });
    const token = stageboard.token();
    const first = await createRun(token, newSha());
    expect(first.status).toBe(403);
    expect(first.body.message).toMatch(/^You have exceeded a secondary rate limit\./);
    expect(first.headers.get("retry-after")).toBe("30");
    expect(first.headers.get("x-ratelimit-remaining")).not.toBe("0");
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token: ada })).status).toBe(200);
    expect((await createRun(token, newSha())).status).toBe(403);
    expect((await createRun(token, newSha())).status).toBe(201);
  });

  it("is what @octokit/plugin-throttling's classification sees as secondary: Octokit's error names it", async () => {
    await control(standIn.url, "/faults", { secondaryLimit: { count: 1 } });
    const octokit = new Octokit({ baseUrl: `${standIn.url}/api/v3`, auth: stageboard.token() });
    const error: unknown = await octokit.rest.checks
      .create({ owner: "acme", repo: "web-app", name: "deploy", head_sha: newSha() })
      .catch((e: unknown) => e);
    expect(Reflect.get(Object(error), "status")).toBe(403);
    expect(String(Reflect.get(Object(error), "message"))).toMatch(/\bsecondary rate\b/i);
  });
});

describe("content-creation budget", () => {
  it("lets GitHub's limits times the scale through per installation, then refuses until the minute has passed", async () => {
    // 0.05 × (80 a minute, 500 an hour) = 4 a minute and 25 an hour.
    const armed = await control(standIn.url, "/faults", { budget: { scale: 0.05 } });
    expect(armed.body).toMatchObject({ budget: { perMinute: 4, perHour: 25 } });
    const sha = newSha();
    const answers: number[] = [];
    // Each request has a token of its own: the installation's tokens share one budget.
    for (let i = 0; i < 5; i++) answers.push((await createRun(stageboard.token(), sha)).status);
    expect(answers).toEqual([201, 201, 201, 201, 403]);
    const refused = await createRun(stageboard.token(), sha);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await createRun(other.token(), sha)).status).toBe(201);
    clock += 61_000;
    expect((await createRun(stageboard.token(), sha)).status).toBe(201);
    // The latest "deploy" of each App.
    expect(await runsOn(sha)).toBe(2);
    const usage = (await control(standIn.url, "/faults")).body as { budget: { usage: Record<string, unknown> } };
    expect(usage.budget.usage).toMatchObject({
      [`installation:${stageboard.installation.id}`]: { minute: 1, hour: 5 },
      [`installation:${other.installation.id}`]: { minute: 0, hour: 1 },
    });
  });

  it("refuses for the rest of the hour once the hour's budget is spent", async () => {
    await control(standIn.url, "/faults", { budget: { scale: 0.01 } }); // 1 a minute, 5 an hour
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push((await createRun(stageboard.token(), newSha())).status);
      clock += 61_000;
    }
    expect(answers).toEqual([201, 201, 201, 201, 201, 403]);
  });
});

describe("lost answers", () => {
  it("performs the creation, answers 502, and the client finds what it created when it looks", async () => {
    await control(standIn.url, "/faults", { loseAnswers: { count: 1, mode: "502", kinds: ["check_run"] } });
    const sha = newSha();
    // A request that fails validation creates nothing and keeps the fault armed.
    const invalid = await fetch(`${standIn.url}/api/v3/repos/acme/web-app/check-runs`, {
      method: "POST",
      headers: { authorization: `token ${stageboard.token()}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "deploy" }),
    });
    expect(invalid.status).toBe(422);
    const lost = await createRun(stageboard.token(), sha);
    expect(lost.status).toBe(502);
    expect(await runsOn(sha)).toBe(1);
    expect((await createRun(stageboard.token(), sha, "test")).status).toBe(201);
  });

  it("drops the connection after creating a deployment, once", async () => {
    await control(standIn.url, "/faults", { loseAnswers: { count: 1, mode: "drop", kinds: ["deployment"] } });
    const sha = newSha();
    const body = JSON.stringify({ ref: sha, environment: "staging", auto_merge: false, required_contexts: [] });
    const send = () =>
      fetch(`${standIn.url}/api/v3/repos/acme/web-app/deployments`, {
        method: "POST",
        headers: { authorization: `token ${stageboard.token()}`, "content-type": "application/json" },
        body,
      });
    await expect(send()).rejects.toThrow();
    const found = await api(standIn.url, "GET", `/repos/acme/web-app/deployments?sha=${sha}`, { token: ada });
    expect(found.body).toHaveLength(1);
    expect((await send()).status).toBe(201);
    // Statuses were not armed: they answer as usual.
    expect(
      (
        await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${sha}`, {
          token: ada,
          body: { state: "success" },
        })
      ).status,
    ).toBe(201);
  });

  it("rejects malformed fault requests", async () => {
    expect((await control(standIn.url, "/faults", { loseAnswers: { count: 1, kinds: ["issue"] } })).status).toBe(400);
    expect((await control(standIn.url, "/faults", { loseAnswers: { count: 1, mode: "504" } })).status).toBe(400);
    expect((await control(standIn.url, "/faults", { budget: { scale: 0 } })).status).toBe(400);
    expect((await control(standIn.url, "/faults", { secondaryLimit: { count: -1 } })).status).toBe(400);
  });
});

describe("request counts per route", () => {
  it("counts REST requests by method and route template, next to the per-path counts", async () => {
    await control(standIn.url, "/requests/reset", {});
    const token = stageboard.token();
    const [a, b] = [newSha(), newSha()];
    await createRun(token, a);
    await createRun(token, b);
    const run = await createRun(token, b, "test");
    await api(standIn.url, "PATCH", `/repos/acme/web-app/check-runs/${(run.body as { id?: number }).id}`, {
      token,
      body: { conclusion: "success" },
    });
    await api(standIn.url, "GET", `/repos/acme/web-app/commits/${a}/check-runs`, { token: ada });
    await api(standIn.url, "GET", `/repos/acme/web-app/commits/heads/main/check-runs`, { token: ada });
    const counts = (await control(standIn.url, "/requests")).body as { total: number; routes: Record<string, number> };
    expect(counts.routes).toEqual({
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": 2,
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": 1,
      "POST /repos/{owner}/{repo}/check-runs": 3,
    });
    expect(counts.total).toBe(6);
  });
});
