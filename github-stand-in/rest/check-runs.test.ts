import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

let clock = Date.UTC(2026, 11, 1, 10, 0, 0);
let standIn: StandInWithState;
let stageboard: InstalledApp;
let otherCi: InstalledApp;
let ada: string;

interface Run {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  head_sha: string;
  external_id: string;
  details_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  check_suite: { id: number };
  app: { id: number; slug: string } | null;
  output: { title: string | null; summary: string | null; annotations_count: number };
}
interface RunList {
  total_count: number;
  check_runs: Run[];
}

beforeAll(async () => {
  standIn = await startWithState({ now: () => clock });
  stageboard = installApp(standIn.state, {
    name: "Stageboard",
    account: "acme",
    permissions: { checks: "write", statuses: "write", deployments: "write" },
  });
  otherCi = installApp(standIn.state, { name: "Other CI", account: "acme", permissions: { checks: "write" } });
  ada = await signIn(standIn.url, "ada");
});
afterAll(() => standIn.stop());

let shaCounter = 0;
const newSha = () => (++shaCounter).toString(16).padStart(40, "e");

async function create(app: InstalledApp, body: Record<string, unknown>, repo = "acme/web-app") {
  return api(standIn.url, "POST", `/repos/${repo}/check-runs`, { token: app.token(), body });
}

describe("creating a check run", () => {
  it("is for GitHub Apps only: a user's token gets GitHub's 403 even with admin on the repository", async () => {
    const refused = await api(standIn.url, "POST", "/repos/acme/web-app/check-runs", {
      token: ada,
      body: { name: "build", head_sha: newSha() },
    });
    expect(refused).toMatchObject({ status: 403, body: { message: "You must authenticate via a GitHub App." } });
  });

  it("creates a queued run owned by the App, in the App's suite for the commit", async () => {
    const sha = newSha();
    const created = await create(stageboard, {
      name: "Stageboard / web-app",
      head_sha: sha,
      external_id: "pipeline-1:exec-1",
      details_url: "https://stageboard.example/pipelines/1",
    });
    expect(created.status).toBe(201);
    const run = created.body as Run;
    expect(run).toMatchObject({
      name: "Stageboard / web-app",
      head_sha: sha,
      status: "queued",
      conclusion: null,
      external_id: "pipeline-1:exec-1",
      started_at: "2026-12-01T10:00:00Z",
      completed_at: null,
      app: { id: stageboard.app.id, slug: "stageboard" },
    });
    const read = await api(standIn.url, "GET", `/repos/acme/web-app/check-runs/${run.id}`, { token: ada });
    expect(read.body).toEqual(run);
    const suites = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-suites`, { token: ada });
    expect(suites.body).toMatchObject({
      total_count: 1,
      check_suites: [
        { id: run.check_suite.id, status: "queued", conclusion: null, head_sha: sha, latest_check_runs_count: 1 },
      ],
    });
  });

  it("completes it at once when a conclusion is given, and falls back to the App's homepage for details", async () => {
    const created = await create(stageboard, {
      name: "deploy",
      head_sha: newSha(),
      status: "in_progress",
      conclusion: "action_required",
      output: { title: "Waiting for approval", summary: "Approve **Deploy** to continue" },
      actions: [{ label: "Approve", description: "Approve the Deploy stage", identifier: "approve:42" }],
    });
    expect(created.body).toMatchObject({
      status: "completed",
      conclusion: "action_required",
      completed_at: "2026-12-01T10:00:00Z",
      details_url: "https://stageboard.example/app",
      output: { title: "Waiting for approval", summary: "Approve **Deploy** to continue", annotations_count: 0 },
    });
  });

  it("answers GitHub's 422 for invalid bodies and an unknown commit", async () => {
    const missing = await create(stageboard, { name: "x" });
    expect(missing).toMatchObject({
      status: 422,
      body: { message: 'Invalid request.\n\n"head_sha" wasn\'t supplied.' },
    });
    const tooBig = await create(stageboard, {
      name: "x",
      head_sha: newSha(),
      output: { title: "t", summary: "ü".repeat(33000) },
    });
    expect(tooBig).toMatchObject({
      status: 422,
      body: { message: "Validation Failed", errors: [{ resource: "CheckRun", field: "summary", code: "custom" }] },
    });
    const branch = await create(stageboard, { name: "x", head_sha: "main" });
    expect(branch).toMatchObject({ status: 422, body: { message: "No commit found for SHA: main" } });
  });

  it("answers 403 to an App without checks:write and 404 where the App is not installed", async () => {
    const statusesOnly = installApp(standIn.state, {
      name: "Statuses Only",
      account: "acme",
      permissions: { statuses: "write" },
    });
    const forbidden = await create(statusesOnly, { name: "x", head_sha: newSha() });
    expect(forbidden).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
    const elsewhere = await create(stageboard, { name: "x", head_sha: newSha() }, "globex/storefront");
    expect(elsewhere.status).toBe(404);
  });
});

describe("updating a check run", () => {
  it("moves it through in_progress to completed, appending annotations and replacing buttons", async () => {
    const sha = newSha();
    const annotation = {
      path: "deploy.yml",
      start_line: 3,
      end_line: 3,
      annotation_level: "failure",
      message: "timed out",
    };
    const { id } = (await create(stageboard, { name: "deploy", head_sha: sha })).body as Run;
    const path = `/repos/acme/web-app/check-runs/${id}`;
    const token = stageboard.token();
    clock += 60_000;
    const started = await api(standIn.url, "PATCH", path, {
      token,
      body: {
        status: "in_progress",
        output: { title: "Deploying", summary: "Stage Deploy is running", annotations: [annotation] },
        actions: [{ label: "Stop", description: "Stop this execution", identifier: "stop" }],
      },
    });
    expect(started).toMatchObject({ status: 200, body: { status: "in_progress", conclusion: null } });
    clock += 60_000;
    const done = await api(standIn.url, "PATCH", path, {
      token,
      body: { conclusion: "failure", output: { summary: "Deploy failed", annotations: [annotation] }, actions: [] },
    });
    expect(done.body).toMatchObject({
      status: "completed",
      conclusion: "failure",
      completed_at: "2026-12-01T10:02:00Z",
      output: { title: "Deploying", summary: "Deploy failed", annotations_count: 2 },
    });
    expect(standIn.state.records.checks.run("acme/web-app", id)?.actions).toEqual([]);
  });

  it("belongs to the App that created it: another App, GitHub Actions' runs and user tokens are refused", async () => {
    const sha = newSha();
    const { id } = (await create(stageboard, { name: "deploy", head_sha: sha })).body as Run;
    const byOther = await api(standIn.url, "PATCH", `/repos/acme/web-app/check-runs/${id}`, {
      token: otherCi.token(),
      body: { status: "in_progress" },
    });
    expect(byOther).toMatchObject({
      status: 403,
      body: {
        message: `Invalid app_id \`${stageboard.app.id}\` - check run can only be modified by the GitHub App that created it.`,
      },
    });
    const actions = await control(standIn.url, "/checks", {
      repository: "acme/web-app",
      sha,
      name: "ci",
      conclusion: "success",
    });
    const actionsRun = (actions.body as { id: number }).id;
    const onActions = await api(standIn.url, "PATCH", `/repos/acme/web-app/check-runs/${actionsRun}`, {
      token: stageboard.token(),
      body: { conclusion: "failure" },
    });
    expect((onActions.body as { message: string }).message).toMatch(/^Invalid app_id `15368`/);
    const byUser = await api(standIn.url, "PATCH", `/repos/acme/web-app/check-runs/${id}`, {
      token: ada,
      body: { status: "in_progress" },
    });
    expect(byUser).toMatchObject({ status: 403, body: { message: "You must authenticate via a GitHub App." } });
    const missing = await api(standIn.url, "PATCH", "/repos/acme/web-app/check-runs/999999", {
      token: stageboard.token(),
      body: { status: "in_progress" },
    });
    expect(missing.status).toBe(404);
  });
});

describe("listing a commit's check runs", () => {
  const sha = newSha();
  const list = async (query = "") =>
    (await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-runs${query}`, { token: ada }))
      .body as RunList;

  beforeAll(async () => {
    await create(stageboard, { name: "deploy", head_sha: sha, conclusion: "failure" });
    await create(stageboard, { name: "deploy", head_sha: sha, status: "in_progress" });
    await create(stageboard, { name: "approve", head_sha: sha, conclusion: "action_required" });
    await create(otherCi, { name: "deploy", head_sha: sha, conclusion: "success" });
  });

  it("shows the latest run of each name per App by default, and every run with filter=all", async () => {
    const latest = await list();
    expect(latest.total_count).toBe(3);
    expect(latest.check_runs.map((r) => [r.app?.slug, r.name, r.status]).sort()).toEqual([
      ["other-ci", "deploy", "completed"],
      ["stageboard", "approve", "completed"],
      ["stageboard", "deploy", "in_progress"],
    ]);
    expect((await list("?filter=all")).total_count).toBe(4);
  });

  it("filters by check_name, status and app_id, and pages with Link headers", async () => {
    expect((await list("?check_name=deploy")).total_count).toBe(2);
    expect((await list("?status=in_progress")).check_runs.map((r) => r.name)).toEqual(["deploy"]);
    expect((await list(`?app_id=${otherCi.app.id}&filter=all`)).check_runs.map((r) => r.app?.id)).toEqual([
      otherCi.app.id,
    ]);
    const page = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-runs?filter=all&per_page=3`, {
      token: ada,
    });
    expect((page.body as RunList).check_runs).toHaveLength(3);
    expect(page.headers.get("link")).toContain('rel="next"');
  });

  it("lists one suite per App with its state: Other CI passed, Stageboard still runs", async () => {
    const suites = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-suites`, { token: ada });
    const bySlug = Object.fromEntries(
      (
        suites.body as { check_suites: { app: { slug: string }; status: string; conclusion: string | null }[] }
      ).check_suites.map((s) => [s.app.slug, [s.status, s.conclusion]]),
    );
    expect(bySlug).toEqual({ "other-ci": ["completed", "success"], stageboard: ["in_progress", null] });
  });
});

describe("suites GitHub creates on a push", () => {
  it("lists a queued suite with no runs, so the commit's checks read as pending", async () => {
    const sha = newSha();
    expect((await control(standIn.url, "/check-suites", { repository: "acme/web-app", sha })).status).toBe(200);
    const suites = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-suites`, { token: ada });
    expect(suites.body).toMatchObject({
      total_count: 1,
      check_suites: [
        { status: "queued", conclusion: null, latest_check_runs_count: 0, app: { slug: "github-actions" } },
      ],
    });
  });
});

describe("stale runs", () => {
  it("turn completed with conclusion stale once left incomplete for more than 14 days", async () => {
    const { id } = (await create(stageboard, { name: "approve", head_sha: newSha(), status: "in_progress" }))
      .body as Run;
    clock += 14 * 24 * 60 * 60 * 1000 + 1000;
    const read = await api(standIn.url, "GET", `/repos/acme/web-app/check-runs/${id}`, { token: ada });
    expect(read.body).toMatchObject({ status: "completed", conclusion: "stale" });
  });
});
