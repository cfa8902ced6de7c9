import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";
import { RequestCounts } from "./request-counts";

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

type Counts = { total: number; requests: Record<string, number> };

const counts = async () => (await (await fetch(`${standIn.url}/_stand-in/requests`)).json()) as Counts;

describe("GET /_stand-in/requests", () => {
  it("counts each GitHub request by method and path, and not the control plane", async () => {
    const ada = await signIn(standIn.url, "ada");
    await control(standIn.url, "/requests/reset", {});
    await api(standIn.url, "GET", "/repos/acme/api", { token: ada });
    await api(standIn.url, "GET", "/repos/acme/api", { token: ada });
    await api(standIn.url, "GET", "/user", { token: ada });
    await control(standIn.url, "/users", { login: "counted-not" });
    const seen = await counts();
    expect(seen.total).toBe(3);
    expect(seen.requests).toEqual({ "GET /api/v3/repos/acme/api": 2, "GET /api/v3/user": 1 });
  });

  it("counts requests GitHub refuses as well", async () => {
    await control(standIn.url, "/requests/reset", {});
    const refused = await fetch(`${standIn.url}/api/v3/user`, { headers: { authorization: "Bearer gho_not-a-token" } });
    expect(refused.status).toBe(401);
    expect((await counts()).total).toBe(1);
  });

  it("starts over on reset", async () => {
    await api(standIn.url, "GET", "/users/ada");
    const reset = await control(standIn.url, "/requests/reset", {});
    expect((reset.body as Counts).total).toBe(0);
    expect(await counts()).toMatchObject({ total: 0, requests: {} });
  });
});

describe("RequestCounts", () => {
  it("sums paths past its table's size under other, keeping the total exact", () => {
    const tally = new RequestCounts(() => 0);
    for (let i = 0; i < 600; i++) tally.count("GET", `/repos/o/r${i}`);
    tally.count("GET", "/repos/o/r0");
    const json = tally.toJson();
    expect(json.total).toBe(601);
    expect(Object.keys(json.requests)).toHaveLength(501);
    expect(json.requests["GET /repos/o/r0"]).toBe(2);
    expect(json.requests.other).toBe(100);
  });
});
