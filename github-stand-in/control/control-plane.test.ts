import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

const names = async (token: string) =>
  ((await api(standIn.url, "GET", "/user/repos?per_page=100", { token })).body as { full_name: string }[]).map(
    (r) => r.full_name,
  );

describe("grants", () => {
  it("revokes one repository with permission none, then restores it", async () => {
    const ada = await signIn(standIn.url, "ada");
    const revoked = await control(standIn.url, "/grants", {
      login: "ada",
      repository: "acme/payments",
      permission: "none",
    });
    expect(revoked.status).toBe(200);
    expect(await names(ada)).not.toContain("acme/payments");
    expect((await api(standIn.url, "GET", "/repos/acme/payments", { token: ada })).status).toBe(404);
    await control(standIn.url, "/grants", { login: "ada", repository: "acme/payments", permission: "admin" });
    expect((await api(standIn.url, "GET", "/repos/acme/payments", { token: ada })).status).toBe(200);
  });

  it("grants and revokes a whole owner, replacing per-repository overrides", async () => {
    const linus = await signIn(standIn.url, "linus");
    await control(standIn.url, "/grants", { login: "linus", owner: "globex", permission: "write" });
    expect(await names(linus)).toEqual(["acme/web-app", "globex/inventory", "globex/storefront"]);
    const repo = await api(standIn.url, "GET", "/repos/globex/inventory", { token: linus });
    expect((repo.body as { permissions: { push: boolean } }).permissions.push).toBe(true);
    await control(standIn.url, "/grants", { login: "linus", owner: "acme", permission: "none" });
    await control(standIn.url, "/grants", { login: "linus", owner: "globex", permission: "none" });
    expect(await names(linus)).toEqual([]);
  });

  it("rejects unknown users, repositories and roles", async () => {
    expect((await control(standIn.url, "/grants", { login: "nobody", owner: "acme", permission: "read" })).status).toBe(
      400,
    );
    expect(
      (await control(standIn.url, "/grants", { login: "ada", repository: "acme/nope", permission: "read" })).status,
    ).toBe(400);
    expect((await control(standIn.url, "/grants", { login: "ada", owner: "acme", permission: "owner" })).status).toBe(
      400,
    );
  });
});

describe("repositories and users", () => {
  it("adds repositories that owner grants then cover, and caps per_page at 100", async () => {
    const many = Array.from({ length: 120 }, (_, i) => `acme/service-${String(i).padStart(3, "0")}`);
    expect((await control(standIn.url, "/repositories", { repositories: many })).status).toBe(200);
    expect((await control(standIn.url, "/repositories", { repositories: ["not a name"] })).status).toBe(400);
    const ada = await signIn(standIn.url, "ada");
    const page = await api(standIn.url, "GET", "/user/repos?per_page=500", { token: ada });
    expect(page.body).toHaveLength(100);
    expect(page.headers.get("link")).toContain('rel="next"');
  });

  it("lists the demo users with what they can reach", async () => {
    const users = (await control(standIn.url, "/users")).body as {
      login: string;
      name: string;
      repositories: { repository: string; permission: string }[];
    }[];
    expect(users.map((u) => u.login)).toEqual(["ada", "grace", "linus", "margaret"]);
    // globex has two writers, so a repository there can need two approvals from two people.
    const margaret = users.find((u) => u.login === "margaret");
    expect(margaret?.repositories.filter((r) => r.permission === "write").map((r) => r.repository)).toEqual([
      "globex/inventory",
      "globex/storefront",
    ]);
    const grace = users.find((u) => u.login === "grace");
    expect(grace?.repositories).toEqual([
      { repository: "globex/inventory", permission: "write" },
      { repository: "globex/storefront", permission: "write" },
      { repository: "initech/tps-reports", permission: "read" },
    ]);
  });
});

describe("outage", () => {
  afterEach(() => control(standIn.url, "/outage", { down: false }));

  it("answers 503 on REST while down and recovers afterwards", async () => {
    const grace = await signIn(standIn.url, "grace");
    await control(standIn.url, "/outage", { down: true });
    const down = await api(standIn.url, "GET", "/user", { token: grace });
    expect(down).toMatchObject({ status: 503, body: { status: "503" } });
    expect((await api(standIn.url, "GET", "/repos/globex/storefront", { token: grace })).status).toBe(503);
    await control(standIn.url, "/outage", { down: false });
    expect((await api(standIn.url, "GET", "/user", { token: grace })).status).toBe(200);
  });
});

describe("token revocation", () => {
  it("turns every token of that user into 401 Bad credentials and leaves others working", async () => {
    const [first, second, other] = [
      await signIn(standIn.url, "grace"),
      await signIn(standIn.url, "grace"),
      await signIn(standIn.url, "ada"),
    ];
    const revoked = await control(standIn.url, "/tokens/revoke", { login: "grace" });
    expect((revoked.body as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    for (const token of [first, second]) {
      expect(await api(standIn.url, "GET", "/user", { token })).toMatchObject({
        status: 401,
        body: { message: "Bad credentials" },
      });
    }
    expect((await api(standIn.url, "GET", "/user", { token: other })).status).toBe(200);
    const fresh = await signIn(standIn.url, "grace");
    expect((await api(standIn.url, "GET", "/user", { token: fresh })).status).toBe(200);
  });
});

describe("rate limit", () => {
  it("counts per token, answers 403 with x-ratelimit-remaining 0 when spent, and resets after the hour", async () => {
    let clock = Date.UTC(2025, 5, 1);
    const limited = await startGitHubStandIn({ rateLimit: 3, now: () => clock });
    try {
      const token = await signIn(limited.url, "ada");
      const other = await signIn(limited.url, "grace");
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++)
        remaining.push((await api(limited.url, "GET", "/user", { token })).headers.get("x-ratelimit-remaining") ?? "");
      expect(remaining).toEqual(["2", "1", "0"]);
      const spent = await api(limited.url, "GET", "/user", { token });
      expect(spent.status).toBe(403);
      expect(spent.body).toMatchObject({ message: "API rate limit exceeded for user ID 1001." });
      expect(spent.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(spent.headers.get("x-ratelimit-reset")).toBe(String(Math.ceil((Date.UTC(2025, 5, 1) + 3_600_000) / 1000)));
      expect((await api(limited.url, "GET", "/user", { token: other })).status).toBe(200);
      clock += 3_600_000;
      const renewed = await api(limited.url, "GET", "/user", { token });
      expect(renewed.status).toBe(200);
      expect(renewed.headers.get("x-ratelimit-remaining")).toBe("2");
    } finally {
      await limited.stop();
    }
  });
});

describe("added users", () => {
  it("adds a user who reaches nothing until granted, signs in like the demo users, and never reuses a login", async () => {
    const own = await startGitHubStandIn();
    try {
      const added = await control(own.url, "/users", { login: "e2e-tester", name: "E2E Tester" });
      expect(added).toMatchObject({ status: 200, body: { login: "e2e-tester", reach: "no repositories" } });
      const second = await control(own.url, "/users", { login: "e2e-other" });
      expect((second.body as { id: number }).id).not.toBe((added.body as { id: number }).id);
      for (const login of ["E2E-Tester", "ada", "acme", "not a login"])
        expect((await control(own.url, "/users", { login })).status).toBe(400);
      const token = await signIn(own.url, "e2e-tester");
      expect((await api(own.url, "GET", "/user", { token })).body).toMatchObject({
        login: "e2e-tester",
        id: (added.body as { id: number }).id,
        name: "E2E Tester",
      });
      expect(
        ((await api(own.url, "GET", "/user/repos", { token })).body as { full_name: string }[]).map((r) => r.full_name),
      ).toEqual([]);
      await control(own.url, "/grants", { login: "e2e-tester", repository: "acme/api", permission: "read" });
      expect(
        ((await api(own.url, "GET", "/user/repos", { token })).body as { full_name: string }[]).map((r) => r.full_name),
      ).toEqual(["acme/api"]);
    } finally {
      await own.stop();
    }
  });
});
