import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

let standIn: StandInWithState;
let stageboard: InstalledApp;
let linus: string;
const SHA = "f".repeat(40);

interface Status {
  id: number;
  state: string;
  context: string;
  description: string | null;
  creator: { login: string } | null;
}

beforeAll(async () => {
  standIn = await startWithState();
  stageboard = installApp(standIn.state, { name: "Stageboard", account: "acme", permissions: { statuses: "write" } });
  linus = await signIn(standIn.url, "linus");
});
afterAll(() => standIn.stop());

const post = (body: Record<string, unknown>, sha = SHA) =>
  api(standIn.url, "POST", `/repos/acme/web-app/statuses/${sha}`, { token: stageboard.token(), body });

describe("commit statuses written by an App", () => {
  it("lists every status of a commit newest first, where the combined status keeps one per context", async () => {
    await post({ state: "pending", context: "stageboard/staging", description: "Deploying" });
    await post({ state: "success", context: "stageboard/staging", description: "Deployed" });
    await control(standIn.url, "/checks", {
      repository: "acme/web-app",
      sha: SHA,
      state: "failure",
      context: "ci/test",
    });
    const listed = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${SHA}/statuses`, { token: linus });
    const statuses = listed.body as Status[];
    expect(statuses.map((s) => [s.context, s.state, s.creator?.login ?? null])).toEqual([
      ["ci/test", "failure", null],
      ["stageboard/staging", "success", "stageboard[bot]"],
      ["stageboard/staging", "pending", "stageboard[bot]"],
    ]);
    const combined = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${SHA}/status`, { token: linus });
    expect(combined.body).toMatchObject({ state: "failure", total_count: 2 });
    const paged = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${SHA}/statuses?per_page=2`, {
      token: linus,
    });
    expect(paged.body).toHaveLength(2);
    expect(paged.headers.get("link")).toContain('rel="next"');
  });

  it("refuses a description over 140 characters, and the 1001st status of one context on one commit", async () => {
    expect((await post({ state: "success", description: "x".repeat(141) })).status).toBe(422);
    const sha = "9".repeat(40);
    // 999 earlier statuses of the context, written straight into the records to keep the test short.
    for (let i = 0; i < 999; i++) {
      standIn.state.records.statuses.push({
        id: standIn.state.records.id(),
        repository: "acme/web-app",
        sha,
        state: "pending",
        targetUrl: null,
        description: null,
        context: "Stageboard/Deploy",
        creator: "stageboard[bot]",
        createdAt: "2026-12-01T10:00:00Z",
      });
    }
    expect((await post({ state: "success", context: "stageboard/deploy" }, sha)).status).toBe(201);
    const refused = await post({ state: "success", context: "STAGEBOARD/DEPLOY" }, sha);
    expect(refused).toMatchObject({
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ message: "This SHA and context has reached the maximum number of statuses." }],
      },
    });
    expect((await post({ state: "success", context: "stageboard/other" }, sha)).status).toBe(201);
  });

  it("answers 403 to an App without statuses:write", async () => {
    const checksOnly = installApp(standIn.state, {
      name: "Checks Only",
      account: "acme",
      permissions: { checks: "write" },
    });
    const refused = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${SHA}`, {
      token: checksOnly.token(),
      body: { state: "success" },
    });
    expect(refused).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
  });
});
