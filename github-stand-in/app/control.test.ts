import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { AppCredentials, RunningGitHubStandIn } from "../index";
import { appJwt } from "../test-support/app-client";
import { api, control } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

describe("the App control plane", () => {
  it("creates an App, hands out its key once in the answer, and lists it without secrets", async () => {
    const created = await control(standIn.url, "/apps", {
      name: "Made Here",
      owner: "globex",
      permissions: { deployments: "write" },
    });
    expect(created.status).toBe(200);
    const app = created.body as AppCredentials;
    expect(app).toMatchObject({ slug: "made-here", installations: [] });
    expect(app.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const listed = (await control(standIn.url, "/apps")).body;
    expect(listed).toEqual([
      expect.objectContaining({
        slug: "made-here",
        owner: "globex",
        permissions: { deployments: "write", metadata: "read" },
        installations: [],
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(app.clientSecret);

    const installed = await control(standIn.url, "/installations", {
      app: "made-here",
      account: "globex",
      repositories: ["storefront"],
    });
    expect(installed.body).toMatchObject({ created: true });
    const token = appJwt(app.privateKey, app.id, Date.now());
    const found = await api(standIn.url, "GET", "/repos/globex/storefront/installation", { token, scheme: "bearer" });
    expect(found.status).toBe(200);
    expect((await control(standIn.url, "/installations")).body).toEqual([
      expect.objectContaining({ app: "made-here", account: "globex", repositories: ["globex/storefront"] }),
    ]);
  });

  it("refuses what does not fit the world", async () => {
    const answers = await Promise.all([
      control(standIn.url, "/apps", { name: "Nobody's", owner: "no-such-owner" }),
      control(standIn.url, "/apps", { name: "Keyed", owner: "acme", privateKeyFile: "/tmp/x.pem" }),
      control(standIn.url, "/apps", { name: "Bad Grant", owner: "acme", permissions: { checks: "all" } }),
      control(standIn.url, "/installations", { app: "no-such-app", account: "acme" }),
      control(standIn.url, "/installations/approve", { installation: 1 }),
      control(standIn.url, "/apps/user-tokens/expire", { login: "ada", app: "no-such-app" }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400]);
    // None of the refused Apps was half-registered.
    expect((await control(standIn.url, "/apps")).body).toEqual([expect.objectContaining({ slug: "made-here" })]);
  });
});
