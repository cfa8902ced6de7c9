import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

// Team memberships read by a GitHub App's installation, as Stageboard reads an approver's teams for a click on
// GitHub: allowed on the installation's own organization with `members: read`, checked against GitHub's description.

let standIn: StandInWithState;
let members: InstalledApp;
let checksOnly: InstalledApp;

beforeAll(async () => {
  standIn = await startWithState();
  members = installApp(standIn.state, { name: "Reads members", account: "acme", permissions: { members: "read" } });
  checksOnly = installApp(standIn.state, { name: "Checks only", account: "acme", permissions: { checks: "read" } });
});
afterAll(() => standIn.stop());

describe("GET /orgs/{org}/teams/{team_slug}/memberships/{username} as an installation", () => {
  it("confirms a member and answers 404 for someone outside the team", async () => {
    const ada = await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/ada", { token: members.token() });
    expect(ada).toMatchObject({ status: 200, body: { state: "active", role: "maintainer" } });
    const grace = await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/grace", {
      token: members.token(),
    });
    expect(grace.status).toBe(404);
  });

  it("refuses an installation without members: read (403, naming it) and one on another organization (404)", async () => {
    const refused = await api(standIn.url, "GET", "/orgs/acme/teams/platform/memberships/ada", {
      token: checksOnly.token(),
    });
    expect(refused).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
    expect(refused.headers.get("x-accepted-github-permissions")).toBe("members=read");
    const elsewhere = await api(standIn.url, "GET", "/orgs/globex/teams/release-managers/memberships/grace", {
      token: members.token(),
    });
    expect(elsewhere.status).toBe(404);
  });
});
