import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;
let ada: string;
let linus: string;
const SHA = "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d";

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  [ada, linus] = await Promise.all([signIn(standIn.url, "ada"), signIn(standIn.url, "linus")]);
});
afterAll(() => standIn.stop());

describe("commit statuses", () => {
  it("creates a status (201 + Location), reports it in the combined status and on the control plane", async () => {
    const created = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: ada,
      body: {
        state: "pending",
        context: "stageboard/staging",
        description: "Deploying to staging",
        target_url: "http://localhost:3000/p/1",
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${standIn.url}/api/v3/repos/acme/web-app/statuses/${SHA}`);
    expect(created.body).toMatchObject({ state: "pending", context: "stageboard/staging", creator: { login: "ada" } });

    await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: ada,
      body: { state: "success", context: "stageboard/staging" },
    });
    const combined = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${SHA}/status`, { token: linus });
    expect(combined.body).toMatchObject({
      state: "success",
      sha: SHA,
      total_count: 1,
      statuses: [{ state: "success", context: "stageboard/staging" }],
    });

    const reported = (await control(standIn.url, "/statuses")).body as {
      sha: string;
      state: string;
      creator: string;
    }[];
    expect(reported.filter((s) => s.sha === SHA).map((s) => s.state)).toEqual(["pending", "success"]);
  });

  it("combines contexts as GitHub does: any failure fails, any pending or none is pending", async () => {
    const sha = "b".repeat(40);
    const state = async () =>
      (
        (await api(standIn.url, "GET", `/repos/acme/api/commits/${sha}/status`, { token: ada })).body as {
          state: string;
        }
      ).state;
    expect(await state()).toBe("pending");
    await control(standIn.url, "/checks", { repository: "acme/api", sha, state: "success", context: "ci/build" });
    expect(await state()).toBe("success");
    await control(standIn.url, "/checks", { repository: "acme/api", sha, state: "pending", context: "ci/test" });
    expect(await state()).toBe("pending");
    await control(standIn.url, "/checks", { repository: "acme/api", sha, state: "error", context: "ci/lint" });
    expect(await state()).toBe("failure");
  });

  it("rejects a description over 140 characters with GitHub's 422", async () => {
    const { status, body } = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: ada,
      body: { state: "success", description: "x".repeat(141) },
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      message: "Validation Failed",
      errors: [
        {
          resource: "Status",
          code: "custom",
          field: "description",
          message: "description is too long (maximum is 140 characters)",
        },
      ],
    });
  });

  it("answers 404 to a reader without push access and 400 to a body that is not JSON", async () => {
    expect(
      (
        await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
          token: linus,
          body: { state: "success" },
        })
      ).status,
    ).toBe(404);
    const broken = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: ada,
      rawBody: "{nope",
    });
    expect(broken).toMatchObject({ status: 400, body: { message: "Problems parsing JSON" } });
    const notObject = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: ada,
      rawBody: "[1]",
    });
    expect(notObject).toMatchObject({ status: 400, body: { message: "Body should be a JSON object" } });
  });
});

describe("check runs", () => {
  it("lists what CI reported with exactly total_count and check_runs, newest name wins", async () => {
    const sha = "c".repeat(40);
    await control(standIn.url, "/checks", { repository: "acme/web-app", sha, name: "build", status: "in_progress" });
    await control(standIn.url, "/checks", { repository: "acme/web-app", sha, name: "build", conclusion: "success" });
    await control(standIn.url, "/checks", { repository: "acme/web-app", sha, name: "test", conclusion: "failure" });
    const { body } = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-runs`, { token: linus });
    expect(Object.keys(body as object).sort()).toEqual(["check_runs", "total_count"]);
    const runs = (body as { check_runs: { name: string; status: string; conclusion: string | null }[] }).check_runs;
    expect(runs.map((r) => [r.name, r.status, r.conclusion]).sort()).toEqual([
      ["build", "completed", "success"],
      ["test", "completed", "failure"],
    ]);
    const filtered = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${sha}/check-runs?check_name=test`, {
      token: linus,
    });
    expect((filtered.body as { total_count: number }).total_count).toBe(1);
  });

  it("accepts a branch ref with slashes and answers 404 on repositories the caller cannot see", async () => {
    await control(standIn.url, "/checks", {
      repository: "acme/web-app",
      sha: "heads/main",
      name: "build",
      conclusion: "success",
    });
    const { body } = await api(standIn.url, "GET", "/repos/acme/web-app/commits/heads/main/check-runs", { token: ada });
    expect((body as { total_count: number }).total_count).toBe(1);
    expect(
      (await api(standIn.url, "GET", "/repos/acme/api/commits/heads/main/check-runs", { token: linus })).status,
    ).toBe(404);
  });
});

describe("deployments", () => {
  it("creates a deployment and its statuses and shows them on the control plane", async () => {
    const created = await api(standIn.url, "POST", "/repos/acme/payments/deployments", {
      token: ada,
      body: {
        ref: SHA,
        environment: "staging",
        auto_merge: false,
        required_contexts: [],
        payload: { pipeline: "payments" },
        description: "Stageboard",
      },
    });
    expect(created.body).toMatchObject({
      sha: SHA,
      ref: SHA,
      environment: "staging",
      production_environment: false,
      payload: { pipeline: "payments" },
    });
    const id = (created.body as { id: number }).id;
    const status = await api(standIn.url, "POST", `/repos/acme/payments/deployments/${id}/statuses`, {
      token: ada,
      body: {
        state: "success",
        log_url: "http://localhost:3000/runs/1",
        environment_url: "https://staging.example.com",
        description: "Done",
      },
    });
    expect(status.status).toBe(201);
    expect(status.body).toMatchObject({
      state: "success",
      environment: "staging",
      target_url: "http://localhost:3000/runs/1",
    });
    expect(status.headers.get("location")).toMatch(
      new RegExp(`/api/v3/repos/acme/payments/deployments/${id}/statuses/\\d+$`),
    );
    const listed = (await control(standIn.url, "/deployments")).body as { id: number; statuses: { state: string }[] }[];
    expect(listed.find((d) => d.id === id)?.statuses.map((s) => s.state)).toEqual(["success"]);
  });

  it("answers 409 when checks fail and required_contexts is omitted; [] bypasses the check", async () => {
    const sha = "d".repeat(40);
    await control(standIn.url, "/checks", { repository: "acme/api", sha, name: "build", conclusion: "failure" });
    const blocked = await api(standIn.url, "POST", "/repos/acme/api/deployments", { token: ada, body: { ref: sha } });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({
      message: "Conflict: Commit status checks failed for " + sha + ".",
      errors: [{ contexts: [{ context: "build", state: "failure" }] }],
    });
    const bypassed = await api(standIn.url, "POST", "/repos/acme/api/deployments", {
      token: ada,
      body: { ref: sha, required_contexts: [] },
    });
    expect(bypassed.status).toBe(201);
  });

  it("validates input (422) and hides deployments from readers (404)", async () => {
    expect((await api(standIn.url, "POST", "/repos/acme/api/deployments", { token: ada, body: {} })).status).toBe(422);
    expect(
      (await api(standIn.url, "POST", "/repos/acme/web-app/deployments", { token: linus, body: { ref: "main" } }))
        .status,
    ).toBe(404);
    const created = await api(standIn.url, "POST", "/repos/acme/api/deployments", {
      token: ada,
      body: { ref: "main", required_contexts: [] },
    });
    const id = (created.body as { id: number }).id;
    const tooLong = await api(standIn.url, "POST", `/repos/acme/api/deployments/${id}/statuses`, {
      token: ada,
      body: { state: "failure", description: "y".repeat(141) },
    });
    expect(tooLong).toMatchObject({
      status: 422,
      body: { errors: [{ resource: "DeploymentStatus", field: "description" }] },
    });
    expect(
      (
        await api(standIn.url, "POST", "/repos/acme/api/deployments/999999/statuses", {
          token: ada,
          body: { state: "success" },
        })
      ).status,
    ).toBe(404);
  });
});
