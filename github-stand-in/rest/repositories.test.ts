import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;
const tokens: Record<string, string> = {};

interface Repo {
  full_name: string;
  permissions: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean };
}

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  for (const login of ["ada", "grace", "linus"]) tokens[login] = await signIn(standIn.url, login);
});
afterAll(() => standIn.stop());

function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? "").split(",")) {
    const match = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (match?.[1] && match[2]) links[match[2]] = match[1];
  }
  return links;
}

describe("GET /user/repos", () => {
  it("gives each demo user exactly their reach, with permissions", async () => {
    const reach = async (login: string) =>
      ((await api(standIn.url, "GET", "/user/repos", { token: tokens[login] })).body as Repo[]).map((r) => [
        r.full_name,
        r.permissions.admin,
        r.permissions.push,
        r.permissions.pull,
      ]);
    expect(await reach("ada")).toEqual([
      ["acme/api", true, true, true],
      ["acme/payments", true, true, true],
      ["acme/web-app", true, true, true],
      ["globex/inventory", false, false, true],
      ["globex/storefront", false, false, true],
    ]);
    expect(await reach("grace")).toEqual([
      ["globex/inventory", false, true, true],
      ["globex/storefront", false, true, true],
      ["initech/tps-reports", false, false, true],
    ]);
    expect(await reach("linus")).toEqual([["acme/web-app", false, false, true]]);
  });

  it("shows no private repositories to a token without the repo scope", async () => {
    const narrow = await signIn(standIn.url, "ada", "read:user");
    expect((await api(standIn.url, "GET", "/user/repos", { token: narrow })).body).toEqual([]);
  });

  it("answers 422 when type is combined with affiliation", async () => {
    const { status, body } = await api(standIn.url, "GET", "/user/repos?type=owner&affiliation=owner", {
      token: tokens.ada,
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({ message: "Validation Failed" });
  });

  it("paginates with Link headers built from its own base URL and the original query", async () => {
    const first = await api(standIn.url, "GET", "/user/repos?per_page=2&sort=full_name", { token: tokens.ada });
    const firstLinks = parseLink(first.headers.get("link"));
    expect(Object.keys(firstLinks).sort()).toEqual(["last", "next"]);
    expect(firstLinks.next).toBe(`${standIn.url}/api/v3/user/repos?per_page=2&sort=full_name&page=2`);
    expect(firstLinks.last).toBe(`${standIn.url}/api/v3/user/repos?per_page=2&sort=full_name&page=3`);

    const middle = await api(standIn.url, "GET", "/user/repos?per_page=2&page=2", { token: tokens.ada });
    expect(Object.keys(parseLink(middle.headers.get("link"))).sort()).toEqual(["first", "last", "next", "prev"]);
    const last = await api(standIn.url, "GET", "/user/repos?per_page=2&page=3", { token: tokens.ada });
    expect(Object.keys(parseLink(last.headers.get("link"))).sort()).toEqual(["first", "prev"]);
    expect((last.body as Repo[]).map((r) => r.full_name)).toEqual(["globex/storefront"]);

    // Following rel="next" like Octokit collects everything exactly once.
    const seen: string[] = [];
    let next: string | undefined = `/user/repos?per_page=2`;
    while (next) {
      const page = await api(standIn.url, "GET", next, { token: tokens.ada });
      seen.push(...(page.body as Repo[]).map((r) => r.full_name));
      next = parseLink(page.headers.get("link")).next?.replace(`${standIn.url}/api/v3`, "");
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("sends no Link header when one page holds everything", async () => {
    const { headers } = await api(standIn.url, "GET", "/user/repos?per_page=500", { token: tokens.ada });
    expect(headers.get("link")).toBeNull();
  });
});

describe("GET /repos/{owner}/{repo}", () => {
  it("returns a full repository with the caller's permissions, matching names case-insensitively", async () => {
    const { status, body } = await api(standIn.url, "GET", "/repos/ACME/Web-App", { token: tokens.linus });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      full_name: "acme/web-app",
      private: true,
      owner: { login: "acme", type: "Organization" },
    });
    expect((body as Repo).permissions).toEqual({
      admin: false,
      maintain: false,
      push: false,
      triage: false,
      pull: true,
    });
  });

  it("answers 404, not 403, where the caller has no access or the repository does not exist", async () => {
    for (const path of ["/repos/acme/api", "/repos/acme/does-not-exist", "/repos/globex/storefront"]) {
      const { status, body } = await api(standIn.url, "GET", path, { token: tokens.linus });
      expect(status).toBe(404);
      expect(body).toMatchObject({ message: "Not Found", status: "404" });
    }
    expect((await api(standIn.url, "GET", "/repos/acme/web-app")).status).toBe(404);
  });
});

describe("GET /repos/{owner}/{repo}/collaborators/{username}/permission", () => {
  const permissionOf = async (caller: string, repo: string, user: string) =>
    api(standIn.url, "GET", `/repos/${repo}/collaborators/${user}/permission`, { token: tokens[caller] });

  it("maps roles to GitHub's legacy permission and keeps the real role_name", async () => {
    expect((await permissionOf("ada", "acme/api", "ada")).body).toMatchObject({
      permission: "admin",
      role_name: "admin",
      user: { login: "ada", role_name: "admin" },
    });
    expect((await permissionOf("ada", "acme/web-app", "linus")).body).toMatchObject({
      permission: "read",
      role_name: "read",
    });
    expect((await permissionOf("ada", "acme/api", "grace")).body).toMatchObject({
      permission: "none",
      role_name: "none",
    });
    expect((await permissionOf("grace", "globex/storefront", "ada")).body).toMatchObject({ permission: "read" });

    await control(standIn.url, "/grants", { login: "linus", repository: "acme/api", permission: "maintain" });
    const maintain = await permissionOf("ada", "acme/api", "linus");
    expect(maintain.body).toMatchObject({
      permission: "write",
      role_name: "maintain",
      user: { permissions: { maintain: true, admin: false, push: true } },
    });
    await control(standIn.url, "/grants", { login: "linus", repository: "acme/api", permission: "triage" });
    expect((await permissionOf("ada", "acme/api", "linus")).body).toMatchObject({
      permission: "read",
      role_name: "triage",
    });
    await control(standIn.url, "/grants", { login: "linus", repository: "acme/api", permission: "none" });
  });

  it("answers 403 to callers without push access and 404 for unknown users", async () => {
    const readOnly = await permissionOf("linus", "acme/web-app", "ada");
    expect(readOnly).toMatchObject({
      status: 403,
      body: { message: "Must have push access to view collaborator permission." },
    });
    expect((await permissionOf("ada", "acme/api", "nobody")).status).toBe(404);
  });
});
