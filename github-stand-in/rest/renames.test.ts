import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

// Renames, transfers and deletions, answered as GitHub answers them: a repository keeps its id, its old name
// redirects (301) to /repositories/{id}, and a name deleted and registered again is a new repository.
let standIn: RunningGitHubStandIn;
beforeEach(async () => {
  standIn = await startGitHubStandIn();
});
afterEach(() => standIn.stop());

type Repo = { id: number; full_name: string; owner: { login: string } };

const listed = async (token: string) =>
  ((await api(standIn.url, "GET", "/user/repos?per_page=100", { token })).body as Repo[]).map((r) => [
    r.full_name,
    r.id,
  ]);
const idOf = async (fullName: string) =>
  ((await control(standIn.url, "/repositories")).body as { ids: Record<string, number> }).ids[fullName];

describe("renaming and transferring repositories", () => {
  it("keeps the id and the collaborators, and the old name answers 301 to /repositories/{id}", async () => {
    const linus = await signIn(standIn.url, "linus");
    const id = await idOf("acme/web-app");
    const moved = await control(standIn.url, "/repositories/move", { repository: "acme/web-app", to: "acme/site" });
    expect(moved).toMatchObject({ status: 200, body: { repository: "acme/site", id, from: "acme/web-app" } });

    // Linus was a collaborator on the repository, not on its name.
    expect(await listed(linus)).toEqual([["acme/site", id]]);
    const old = await api(standIn.url, "GET", "/repos/acme/web-app", { token: linus, redirect: "manual" });
    expect(old.status).toBe(301);
    expect(old.headers.get("location")).toBe(`${standIn.url}/api/v3/repositories/${id}`);
    expect(old.body).toMatchObject({ message: "Moved Permanently", url: `${standIn.url}/api/v3/repositories/${id}` });
    // A client that follows redirects (fetch, Octokit) lands on the repository under its new name.
    const followed = await api(standIn.url, "GET", "/repos/acme/web-app", { token: linus });
    expect(followed).toMatchObject({ status: 200, body: { id, full_name: "acme/site" } });
    expect((await api(standIn.url, "GET", `/repositories/${id}`, { token: linus })).body).toMatchObject({
      id,
      full_name: "acme/site",
    });
  });

  it("answers 404, not the redirect, to someone who cannot read the repository", async () => {
    const grace = await signIn(standIn.url, "grace");
    const id = await idOf("acme/web-app");
    await control(standIn.url, "/repositories/move", { repository: "acme/web-app", to: "acme/site" });
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token: grace, redirect: "manual" })).status).toBe(
      404,
    );
    expect((await api(standIn.url, "GET", `/repositories/${id}`, { token: grace })).status).toBe(404);
    expect((await api(standIn.url, "GET", "/repositories/not-a-number", { token: grace })).status).toBe(404);
  });

  it("transfers to another owner: the new owner's members reach it, the old owner's lose it", async () => {
    const ada = await signIn(standIn.url, "ada");
    const grace = await signIn(standIn.url, "grace");
    const id = await idOf("acme/payments");
    await control(standIn.url, "/repositories/move", { repository: "acme/payments", to: "globex/payments" });
    expect(await listed(grace)).toContainEqual(["globex/payments", id]);
    // Ada reads globex/* (not admin any more), and her admin on acme/* no longer covers it.
    const seen = await api(standIn.url, "GET", "/repos/globex/payments", { token: ada });
    expect(seen.body).toMatchObject({ id, owner: { login: "globex" }, permissions: { admin: false, pull: true } });
    const old = await api(standIn.url, "GET", "/repos/acme/payments", { token: grace, redirect: "manual" });
    expect(old.headers.get("location")).toBe(`${standIn.url}/api/v3/repositories/${id}`);
  });

  it("refuses moves onto a taken name, from unknown repositories or to invalid names", async () => {
    for (const body of [
      { repository: "acme/web-app", to: "acme/api" },
      { repository: "acme/nope", to: "acme/other" },
      { repository: "acme/web-app", to: "not a name" },
      { repository: "acme/web-app" },
    ])
      expect((await control(standIn.url, "/repositories/move", body)).status).toBe(400);
  });
});

describe("deleting a repository and registering its name again", () => {
  it("gives the new repository a new id and none of the old one's collaborators or redirects", async () => {
    const linus = await signIn(standIn.url, "linus");
    const ada = await signIn(standIn.url, "ada");
    const first = await idOf("acme/web-app");
    await control(standIn.url, "/repositories/move", { repository: "acme/web-app", to: "acme/site" });
    expect((await control(standIn.url, "/repositories/delete", { repository: "acme/site" })).status).toBe(200);
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token: linus, redirect: "manual" })).status).toBe(
      404,
    );
    expect(await listed(linus)).toEqual([]);

    await control(standIn.url, "/repositories", { repositories: ["acme/web-app"] });
    const second = await idOf("acme/web-app");
    expect(second).not.toBe(first);
    expect(await listed(ada)).toContainEqual(["acme/web-app", second]);
    // Linus's grant was on the deleted repository; the new one does not inherit it.
    expect(await listed(linus)).toEqual([]);
    expect((await control(standIn.url, "/repositories/delete", { repository: "acme/nope" })).status).toBe(400);
  });

  it("ends an old name's redirect when a repository is created at that name", async () => {
    const ada = await signIn(standIn.url, "ada");
    await control(standIn.url, "/repositories/move", { repository: "acme/api", to: "acme/api-v1" });
    await control(standIn.url, "/repositories", { repositories: ["acme/api"] });
    const fresh = await api(standIn.url, "GET", "/repos/acme/api", { token: ada, redirect: "manual" });
    expect(fresh.status).toBe(200);
    expect((fresh.body as Repo).id).toBe(await idOf("acme/api"));
    expect((fresh.body as Repo).id).not.toBe(await idOf("acme/api-v1"));
  });
});

describe("accounts by login, and renamed accounts", () => {
  it("answers GET /users/{username} with the account's id, for users and organisations", async () => {
    const grace = await signIn(standIn.url, "grace");
    expect((await api(standIn.url, "GET", "/users/ADA", { token: grace })).body).toMatchObject({
      login: "ada",
      id: 1001,
      type: "User",
    });
    expect((await api(standIn.url, "GET", "/users/acme", { token: grace })).body).toMatchObject({
      type: "Organization",
    });
    expect((await api(standIn.url, "GET", "/users/nobody-here", { token: grace })).status).toBe(404);
  });

  it("keeps a renamed account's id and tokens, and gives its old login to a new account", async () => {
    const token = await signIn(standIn.url, "ada");
    const renamed = await control(standIn.url, "/users/rename", { login: "ada", to: "ada-lovelace" });
    expect(renamed).toMatchObject({ status: 200, body: { login: "ada-lovelace", id: 1001 } });
    expect((await api(standIn.url, "GET", "/user", { token })).body).toMatchObject({ login: "ada-lovelace", id: 1001 });
    const taken = await control(standIn.url, "/users", { login: "ada" });
    const newcomer = (taken.body as { id: number }).id;
    expect(newcomer).not.toBe(1001);
    expect((await api(standIn.url, "GET", "/users/ada", { token })).body).toMatchObject({ login: "ada", id: newcomer });
    // The newcomer's token is its own: nothing of the old account's reach comes with the login.
    const theirs = await signIn(standIn.url, "ada");
    expect((await api(standIn.url, "GET", "/user", { token: theirs })).body).toMatchObject({ id: newcomer });
    expect(await listed(theirs)).toEqual([]);
    expect((await listed(token)).length).toBeGreaterThan(0);
    expect((await control(standIn.url, "/users/rename", { login: "grace", to: "ada" })).status).toBe(400);
    expect((await control(standIn.url, "/users/rename", { login: "nobody", to: "x" })).status).toBe(400);
  });
});
