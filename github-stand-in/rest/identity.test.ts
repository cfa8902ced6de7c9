import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, signIn } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;
let ada: string;
let grace: string;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  [ada, grace] = await Promise.all([signIn(standIn.url, "ada"), signIn(standIn.url, "grace")]);
});
afterAll(() => standIn.stop());

describe("GET /user", () => {
  it("returns a private-user with a public email, under /api/v3 and at the root, for every auth scheme", async () => {
    for (const scheme of ["Bearer", "bearer", "token"] as const) {
      for (const prefix of ["/api/v3", ""]) {
        const { status, body } = await api(standIn.url, "GET", "/user", { token: ada, scheme, prefix });
        expect(status).toBe(200);
        expect(body).toMatchObject({
          login: "ada",
          id: 1001,
          name: "Ada Lovelace",
          email: "ada@example.com",
          type: "User",
        });
      }
    }
  });

  it("carries GitHub's headers: JSON type, rate limit, request id, scopes, API version", async () => {
    const { headers } = await api(standIn.url, "GET", "/user", { token: grace });
    expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(headers.get("x-ratelimit-limit")).toBe("5000");
    expect(Number(headers.get("x-ratelimit-remaining"))).toBe(5000 - Number(headers.get("x-ratelimit-used")));
    expect(Number(headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    expect(headers.get("x-ratelimit-resource")).toBe("core");
    expect(headers.get("x-github-request-id")).toMatch(/^[0-9A-F]{4}(:[0-9A-F]{6}){3}:[0-9A-F]{8}$/);
    expect(headers.get("x-oauth-scopes")).toBe("read:user, user:email, repo, read:org");
    expect(headers.get("x-github-api-version-selected")).toBe("2022-11-28");
  });

  it("serves the avatar it links to as an SVG", async () => {
    const { body } = await api(standIn.url, "GET", "/user", { token: ada });
    const avatarUrl = (body as { avatar_url: string }).avatar_url;
    expect(avatarUrl).toBe(`${standIn.url}/avatars/ada.svg`);
    const avatar = await fetch(avatarUrl);
    expect(avatar.headers.get("content-type")).toBe("image/svg+xml");
    expect(await avatar.text()).toMatch(/^<svg [^>]*aria-label="ada"/);
  });

  it("answers 401 Requires authentication without a token and Bad credentials with an unknown one", async () => {
    const anonymous = await api(standIn.url, "GET", "/user");
    expect(anonymous).toMatchObject({ status: 401, body: { message: "Requires authentication", status: "401" } });
    expect(anonymous.headers.get("x-ratelimit-limit")).toBe("60");
    const bad = await api(standIn.url, "GET", "/user", { token: "gho_notarealtoken" });
    expect(bad).toMatchObject({
      status: 401,
      body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" },
    });
  });

  it("rejects an API version GitHub does not have", async () => {
    const { status, body } = await api(standIn.url, "GET", "/user", {
      token: ada,
      headers: { "x-github-api-version": "1999-01-01" },
    });
    expect(status).toBe(400);
    expect((body as { message: string }).message).toMatch(/not supported/);
  });
});

describe("GET /user/emails", () => {
  it("lists one verified primary address", async () => {
    const { body } = await api(standIn.url, "GET", "/user/emails", { token: grace });
    expect(body).toEqual([{ email: "grace@example.com", primary: true, verified: true, visibility: "public" }]);
  });

  it("is not found without user:email or user scope", async () => {
    const narrow = await signIn(standIn.url, "grace", "repo");
    expect((await api(standIn.url, "GET", "/user/emails", { token: narrow })).status).toBe(404);
  });
});

describe("organisations and teams", () => {
  it("lists Ada's organisation and none for Grace", async () => {
    const adaOrgs = await api(standIn.url, "GET", "/user/orgs", { token: ada });
    expect((adaOrgs.body as { login: string }[]).map((o) => o.login)).toEqual(["acme"]);
    expect((await api(standIn.url, "GET", "/user/orgs", { token: grace })).body).toEqual([]);
  });

  it("answers 403 for /user/orgs without read:org", async () => {
    const narrow = await signIn(standIn.url, "ada", "repo");
    expect((await api(standIn.url, "GET", "/user/orgs", { token: narrow })).status).toBe(403);
  });

  it("reports Ada's active platform membership and 404 for non-members or outsiders", async () => {
    const own = await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/ada", { token: ada });
    expect(own).toMatchObject({ status: 200, body: { role: "maintainer", state: "active" } });
    expect((await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/linus", { token: ada })).status).toBe(
      404,
    );
    expect((await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/ada", { token: grace })).status).toBe(
      404,
    );
    expect((await api(standIn.url, "GET", "/orgs/acme/teams/unknown/memberships/ada", { token: ada })).status).toBe(
      404,
    );
  });

  it("has globex/release-managers with grace (maintainer) and margaret (member), which ada cannot see", async () => {
    const path = (login: string) => `/orgs/globex/teams/release-managers/memberships/${login}`;
    expect(await api(standIn.url, "GET", path("grace"), { token: grace })).toMatchObject({
      status: 200,
      body: { role: "maintainer", state: "active" },
    });
    expect(await api(standIn.url, "GET", path("margaret"), { token: grace })).toMatchObject({
      status: 200,
      body: { role: "member" },
    });
    expect((await api(standIn.url, "GET", path("linus"), { token: grace })).status).toBe(404);
    expect((await api(standIn.url, "GET", path("grace"), { token: ada })).status).toBe(404);
  });
});
