import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

let standIn: StandInWithState;
let stageboard: InstalledApp;
let ada: string;
let linus: string;
let grace: string;

interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  task: string;
  creator: { login: string; type: string } | null;
}
interface DeploymentStatus {
  id: number;
  state: string;
  environment: string;
  creator: { login: string } | null;
}

beforeAll(async () => {
  standIn = await startWithState();
  stageboard = installApp(standIn.state, {
    name: "Stageboard",
    account: "acme",
    permissions: { deployments: "write", statuses: "write" },
  });
  ada = await signIn(standIn.url, "ada");
  linus = await signIn(standIn.url, "linus");
  grace = await signIn(standIn.url, "grace");
});
afterAll(() => standIn.stop());

let shaCounter = 0;
const newSha = () => (++shaCounter).toString(16).padStart(40, "d");

async function deploy(repo: string, body: Record<string, unknown>, token = stageboard.token()): Promise<Deployment> {
  const created = await api(standIn.url, "POST", `/repos/${repo}/deployments`, {
    token,
    body: { auto_merge: false, required_contexts: [], ...body },
  });
  if (created.status !== 201) throw new Error(`deployment answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body as Deployment;
}

async function report(repo: string, id: number, body: Record<string, unknown>, token = stageboard.token()) {
  return api(standIn.url, "POST", `/repos/${repo}/deployments/${id}/statuses`, { token, body });
}

const stateOf = async (repo: string, id: number) =>
  (
    (await api(standIn.url, "GET", `/repos/${repo}/deployments/${id}/statuses`, { token: ada }))
      .body as DeploymentStatus[]
  )[0]?.state;

describe("creating deployments as an App", () => {
  it("records the App's bot as creator and creates the environment on first use", async () => {
    const created = await deploy("acme/web-app", {
      ref: newSha(),
      environment: "staging",
      payload: { execution: "e-1" },
    });
    expect(created.creator).toMatchObject({ login: "stageboard[bot]", type: "Bot" });
    const environment = await api(standIn.url, "GET", "/repos/acme/web-app/environments/staging", { token: linus });
    expect(environment).toMatchObject({ status: 200, body: { name: "staging", protection_rules: [] } });
    const all = await api(standIn.url, "GET", "/repos/acme/web-app/environments", { token: linus });
    expect(all.body).toMatchObject({ total_count: 1, environments: [{ name: "staging" }] });
  });

  it("auto-merges the default branch into a branch that lacks it (202), then deploys on the retry", async () => {
    const person = { name: "Ada Lovelace", email: "ada@example.com" };
    await control(standIn.url, "/commits", { repository: "acme/api", commits: [{ message: "base", author: person }] });
    await control(standIn.url, "/commits", {
      repository: "acme/api",
      branch: "topic",
      commits: [{ message: "topic work", author: person }],
    });
    await control(standIn.url, "/commits", {
      repository: "acme/api",
      commits: [{ message: "main moves on", author: person }],
    });
    const body = { ref: "topic", environment: "review", required_contexts: [] };
    const merged = await api(standIn.url, "POST", "/repos/acme/api/deployments", { token: ada, body });
    expect(merged).toMatchObject({ status: 202, body: { message: "Auto-merged main into topic on deployment." } });
    const retried = await api(standIn.url, "POST", "/repos/acme/api/deployments", { token: ada, body });
    expect(retried.status).toBe(201);
    const topic = await api(standIn.url, "GET", "/repos/acme/api/commits/topic", { token: ada });
    expect(retried.body).toMatchObject({ ref: "topic", sha: (topic.body as { sha: string }).sha });
    expect((topic.body as { parents: unknown[] }).parents).toHaveLength(2);
    // With auto_merge false, a branch behind the default branch is deployed as it is.
    expect(
      (
        await api(standIn.url, "POST", "/repos/acme/api/deployments", {
          token: ada,
          body: { ...body, ref: "topic", auto_merge: false },
        })
      ).status,
    ).toBe(201);
  });

  it("validates the flags and refuses readers", async () => {
    const bad = await api(standIn.url, "POST", "/repos/acme/web-app/deployments", {
      token: ada,
      body: { ref: "main", auto_merge: "no", transient_environment: 1 },
    });
    expect(bad).toMatchObject({
      status: 422,
      body: { errors: [{ field: "auto_merge" }, { field: "transient_environment" }] },
    });
    const reader = await api(standIn.url, "POST", "/repos/acme/web-app/deployments", {
      token: linus,
      body: { ref: "main", auto_merge: false, required_contexts: [] },
    });
    expect(reader.status).toBe(404);
  });
});

describe("reading deployments back", () => {
  const sha = newSha();
  let ids: number[] = [];
  beforeAll(async () => {
    ids = [
      (await deploy("acme/payments", { ref: sha, environment: "staging", task: "deploy" })).id,
      (await deploy("acme/payments", { ref: sha, environment: "production", task: "deploy" })).id,
      (await deploy("acme/payments", { ref: "main", environment: "staging", task: "deploy:migrations" })).id,
    ];
  });

  it("lists newest first and filters by sha, ref, task and environment", async () => {
    // linus reads acme/web-app only: the list, like the repository, is hidden from him elsewhere.
    expect((await api(standIn.url, "GET", "/repos/acme/payments/deployments", { token: linus })).status).toBe(404);
    const listAs = async (query: string) =>
      (
        (await api(standIn.url, "GET", `/repos/acme/payments/deployments${query}`, { token: ada })).body as Deployment[]
      ).map((d) => d.id);
    expect(await listAs("")).toEqual([...ids].reverse());
    expect(await listAs(`?sha=${sha}`)).toEqual([ids[1], ids[0]]);
    expect(await listAs(`?sha=${sha}&environment=staging`)).toEqual([ids[0]]);
    expect(await listAs("?task=deploy:migrations")).toEqual([ids[2]]);
    expect(await listAs("?ref=main&environment=none")).toEqual([ids[2]]);
    const page = await api(standIn.url, "GET", "/repos/acme/payments/deployments?per_page=2", { token: ada });
    expect(page.headers.get("link")).toContain('rel="next"');
  });

  it("gets one deployment and its statuses, newest first", async () => {
    const [first = 0] = ids;
    expect(
      (await api(standIn.url, "GET", `/repos/acme/payments/deployments/${first}`, { token: ada })).body,
    ).toMatchObject({
      id: first,
      environment: "staging",
    });
    await report("acme/payments", first, { state: "in_progress" });
    const done = await report("acme/payments", first, { state: "failure", description: "Deploy failed" });
    const statuses = (
      await api(standIn.url, "GET", `/repos/acme/payments/deployments/${first}/statuses`, { token: ada })
    ).body as DeploymentStatus[];
    expect(statuses.map((s) => s.state)).toEqual(["failure", "in_progress"]);
    expect(statuses[0]?.creator?.login).toBe("stageboard[bot]");
    const one = await api(
      standIn.url,
      "GET",
      `/repos/acme/payments/deployments/${first}/statuses/${(done.body as DeploymentStatus).id}`,
      { token: ada },
    );
    expect(one.body).toMatchObject({ state: "failure", description: "Deploy failed" });
    expect((await api(standIn.url, "GET", "/repos/acme/payments/deployments/999999", { token: ada })).status).toBe(404);
  });
});

describe("auto_inactive", () => {
  it("marks earlier successful deployments to the same environment inactive when a new one succeeds", async () => {
    const older = await deploy("acme/web-app", { ref: newSha(), environment: "qa" });
    const failed = await deploy("acme/web-app", { ref: newSha(), environment: "qa" });
    const newer = await deploy("acme/web-app", { ref: newSha(), environment: "qa" });
    const elsewhere = await deploy("acme/web-app", { ref: newSha(), environment: "qa-eu" });
    await report("acme/web-app", older.id, { state: "success" });
    await report("acme/web-app", failed.id, { state: "failure" });
    await report("acme/web-app", elsewhere.id, { state: "success" });
    await report("acme/web-app", newer.id, { state: "success", environment_url: "https://qa.example.com" });
    expect(await stateOf("acme/web-app", older.id)).toBe("inactive");
    // Only deployments that had succeeded, and only in the same environment.
    expect(await stateOf("acme/web-app", failed.id)).toBe("failure");
    expect(await stateOf("acme/web-app", elsewhere.id)).toBe("success");
    expect(await stateOf("acme/web-app", newer.id)).toBe("success");
  });

  it("leaves production and transient deployments, and everything when auto_inactive is false", async () => {
    const production = await deploy("acme/web-app", { ref: newSha(), environment: "production" });
    const transient = await deploy("acme/web-app", { ref: newSha(), environment: "pr-7", transient_environment: true });
    const kept = await deploy("acme/web-app", { ref: newSha(), environment: "uat" });
    for (const d of [production, transient, kept]) await report("acme/web-app", d.id, { state: "success" });
    const next = async (environment: string, extra: Record<string, unknown> = {}) => {
      const d = await deploy("acme/web-app", { ref: newSha(), environment, ...extra });
      await report("acme/web-app", d.id, { state: "success", ...extra });
    };
    await next("production");
    await next("pr-7", { transient_environment: true });
    const d = await deploy("acme/web-app", { ref: newSha(), environment: "uat" });
    await report("acme/web-app", d.id, { state: "success", auto_inactive: false });
    expect(await stateOf("acme/web-app", production.id)).toBe("success");
    expect(await stateOf("acme/web-app", transient.id)).toBe("success");
    expect(await stateOf("acme/web-app", kept.id)).toBe("success");
  });
});

describe("environments", () => {
  it("lets repository admins create and configure one; writers and readers may not", async () => {
    const body = {
      wait_timer: 30,
      prevent_self_review: true,
      reviewers: [{ type: "User", id: 1001 }],
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
    };
    const put = await api(standIn.url, "PUT", "/repos/acme/web-app/environments/production%2Feu", { token: ada, body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      name: "production/eu",
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      protection_rules: [
        { type: "wait_timer", wait_timer: 30 },
        {
          type: "required_reviewers",
          prevent_self_review: true,
          reviewers: [{ type: "User", reviewer: { login: "ada" } }],
        },
        { type: "branch_policy" },
      ],
    });
    const read = await api(standIn.url, "GET", "/repos/acme/web-app/environments/production%2Feu", { token: linus });
    expect(read.body).toEqual(put.body);
    await control(standIn.url, "/grants", { login: "grace", repository: "acme/web-app", permission: "write" });
    const writer = await api(standIn.url, "PUT", "/repos/acme/web-app/environments/staging", {
      token: grace,
      body: {},
    });
    expect(writer.status).toBe(404);
    const app = await api(standIn.url, "PUT", "/repos/acme/web-app/environments/staging", {
      token: stageboard.token(),
      body: {},
    });
    expect(app).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
  });

  it("answers 422 for unknown keys, a wait over 30 days and equal branch-policy flags", async () => {
    const put = (body: Record<string, unknown>) =>
      api(standIn.url, "PUT", "/repos/acme/web-app/environments/canary", { token: ada, body });
    expect(await put({ colour: "blue" })).toMatchObject({
      status: 422,
      body: { message: 'Invalid request.\n\n"colour" is not a permitted key.' },
    });
    expect((await put({ wait_timer: 43_201 })).status).toBe(422);
    expect(
      (await put({ deployment_branch_policy: { protected_branches: true, custom_branch_policies: true } })).status,
    ).toBe(422);
    expect((await api(standIn.url, "GET", "/repos/acme/web-app/environments/canary", { token: ada })).status).toBe(404);
  });
});
