import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { AppCredentials, RunningGitHubStandIn } from "../index";
import { appJwt, signJwt } from "../test-support/app-client";
import { api, control, signIn } from "../test-support/github-client";
import { BAD_IAT, EXPIRED, TOO_FAR, UNDECODABLE } from "./jwt";

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
let clock = START;
let standIn: RunningGitHubStandIn;
let reporter: AppCredentials;
let other: AppCredentials;

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    now: () => clock,
    apps: [
      {
        name: "Pipeline Reporter",
        owner: "acme",
        permissions: { checks: "write", statuses: "write", contents: "read" },
        events: ["check_run", "status"],
        installations: [{ account: "acme", repositories: ["web-app", "api"] }],
      },
      { name: "Other App", owner: "globex", permissions: { issues: "read" }, installations: [{ account: "globex" }] },
    ],
  });
  [reporter, other] = standIn.apps as [AppCredentials, AppCredentials];
});
afterAll(() => standIn.stop());

const jwt = (app: AppCredentials = reporter) => appJwt(app.privateKey, app.id, clock);
const installationId = () => reporter.installations[0]?.id ?? 0;

async function installationToken(body?: unknown): Promise<string> {
  const { status, body: token } = await api(
    standIn.url,
    "POST",
    `/app/installations/${installationId()}/access_tokens`,
    {
      token: jwt(),
      scheme: "bearer",
      body,
    },
  );
  if (status !== 201) throw new Error(`token request answered ${status}: ${JSON.stringify(token)}`);
  return (token as { token: string }).token;
}

describe("App JWT", () => {
  it("authenticates GET /app as the App it names, with metadata added to what it asks for", async () => {
    const { status, body, headers } = await api(standIn.url, "GET", "/app", { token: jwt(), scheme: "bearer" });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: reporter.id,
      slug: "pipeline-reporter",
      client_id: reporter.clientId,
      name: "Pipeline Reporter",
      owner: { login: "acme", type: "Organization" },
      html_url: `${standIn.url}/apps/pipeline-reporter`,
      permissions: { checks: "write", statuses: "write", contents: "read", metadata: "read" },
      events: ["check_run", "status"],
      installations_count: 1,
    });
    // The stand-in's clock, from which @octokit/auth-app corrects skew.
    expect(headers.get("date")).toBe(new Date(clock).toUTCString());
  });

  it("accepts the client id as iss, and an iat up to a minute ahead", async () => {
    const now = Math.floor(clock / 1000);
    const byClientId = signJwt(reporter.privateKey, { iat: now, exp: now + 300, iss: reporter.clientId });
    const ahead = signJwt(reporter.privateKey, { iat: now + 60, exp: now + 600, iss: String(reporter.id) });
    for (const token of [byClientId, ahead]) {
      expect((await api(standIn.url, "GET", "/app", { token, scheme: "bearer" })).status).toBe(200);
    }
  });

  it("refuses bad claims with GitHub's messages", async () => {
    const now = Math.floor(clock / 1000);
    const sign = (claims: Record<string, unknown>) => signJwt(reporter.privateKey, { iss: reporter.id, ...claims });
    const cases: [string, string][] = [
      [sign({ iat: now - 700, exp: now - 100 }), EXPIRED],
      [sign({ iat: now + 61, exp: now + 300 }), BAD_IAT],
      [sign({ iat: now - 1.5, exp: now + 300 }), BAD_IAT],
      [sign({ iat: now, exp: now + 601 }), TOO_FAR],
      // Signed with another App's key: to GitHub, as undecodable as garbage.
      [signJwt(other.privateKey, { iat: now, exp: now + 300, iss: reporter.id }), UNDECODABLE],
      [signJwt(reporter.privateKey, { iat: now, exp: now + 300, iss: reporter.id }, { alg: "HS256" }), UNDECODABLE],
      [`${sign({ iat: now, exp: now + 300 })}x`, UNDECODABLE],
    ];
    for (const [token, message] of cases) {
      const { status, body } = await api(standIn.url, "GET", "/app", { token, scheme: "bearer" });
      expect({ status, message: (body as { message: string }).message }).toEqual({ status: 401, message });
    }
  });

  it("answers 404 Integration not found for an iss that names no App", async () => {
    const token = appJwt(reporter.privateKey, 999_999, clock);
    const { status, body } = await api(standIn.url, "GET", "/app", { token, scheme: "bearer" });
    expect({ status, message: (body as { message: string }).message }).toEqual({
      status: 404,
      message: "Integration not found",
    });
  });

  it("is the only way into the App routes, and no way into the others", async () => {
    const ada = await signIn(standIn.url, "ada");
    const asUser = await api(standIn.url, "GET", "/app/installations", { token: ada });
    expect({ status: asUser.status, message: (asUser.body as { message: string }).message }).toEqual({
      status: 401,
      message: UNDECODABLE,
    });
    for (const path of ["/user", "/repos/acme/web-app"]) {
      const asApp = await api(standIn.url, "GET", path, { token: jwt(), scheme: "bearer" });
      expect([asApp.status, (asApp.body as { message: string }).message]).toEqual([
        403,
        "Resource not accessible by integration",
      ]);
    }
  });
});

describe("installations, as the App sees them", () => {
  it("lists only the App's own installations, each with its account and grant", async () => {
    const { body } = await api(standIn.url, "GET", "/app/installations", { token: jwt(), scheme: "bearer" });
    expect(body).toEqual([
      expect.objectContaining({
        id: installationId(),
        app_id: reporter.id,
        app_slug: "pipeline-reporter",
        account: expect.objectContaining({ login: "acme" }) as unknown,
        target_type: "Organization",
        repository_selection: "selected",
        permissions: { checks: "write", statuses: "write", contents: "read", metadata: "read" },
        access_tokens_url: `${standIn.url}/api/v3/app/installations/${installationId()}/access_tokens`,
      }),
    ]);
    const foreign = other.installations[0]?.id ?? 0;
    const theirs = await api(standIn.url, "GET", `/app/installations/${foreign}`, { token: jwt(), scheme: "bearer" });
    expect(theirs.status).toBe(404);
  });

  it("finds the installation for a repository, an organization and an account, and 404 where there is none", async () => {
    const get = (path: string) => api(standIn.url, "GET", path, { token: jwt(), scheme: "bearer" });
    const ids = async (path: string) => {
      const { status, body } = await get(path);
      return status === 200 ? (body as { id: number }).id : status;
    };
    expect({
      webApp: await ids("/repos/acme/web-app/installation"),
      payments: await ids("/repos/acme/payments/installation"),
      org: await ids("/orgs/acme/installation"),
      account: await ids("/users/acme/installation"),
      otherOrg: await ids("/orgs/globex/installation"),
      userAsOrg: await ids("/orgs/ada/installation"),
    }).toEqual({
      webApp: installationId(),
      payments: 404, // not among the selected repositories
      org: installationId(),
      account: installationId(),
      otherOrg: 404,
      userAsOrg: 404,
    });
  });
});

describe("installation tokens", () => {
  it("last an hour and carry the installation's permissions and selection", async () => {
    const { status, body } = await api(standIn.url, "POST", `/app/installations/${installationId()}/access_tokens`, {
      token: jwt(),
      scheme: "bearer",
    });
    expect(status).toBe(201);
    expect(body).toEqual({
      token: expect.stringMatching(/^ghs_[A-Za-z0-9]{36}$/) as unknown,
      expires_at: new Date(clock + 3_600_000).toISOString().replace(".000Z", "Z"),
      permissions: { checks: "write", statuses: "write", contents: "read", metadata: "read" },
      repository_selection: "selected",
    });
  });

  it("reach exactly the installation's repositories, and act as the App's bot", async () => {
    const token = await installationToken();
    const listed = await api(standIn.url, "GET", "/installation/repositories", { token });
    expect(listed.body).toMatchObject({ total_count: 2, repository_selection: "selected" });
    expect((listed.body as { repositories: { full_name: string }[] }).repositories.map((r) => r.full_name)).toEqual([
      "acme/api",
      "acme/web-app",
    ]);
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token })).status).toBe(200);
    expect((await api(standIn.url, "GET", "/repos/acme/payments", { token })).status).toBe(404);
    expect((await api(standIn.url, "GET", "/repos/globex/storefront", { token })).status).toBe(404);
    const status = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${"a".repeat(40)}`, {
      token,
      body: { state: "success", context: "stageboard/deploy" },
    });
    expect(status.status).toBe(201);
    expect((status.body as { creator: unknown }).creator).toMatchObject({
      login: "pipeline-reporter[bot]",
      type: "Bot",
    });
  });

  it("read a collaborator's permission with metadata alone", async () => {
    const token = await installationToken({ permissions: { metadata: "read" } });
    const { status, body } = await api(standIn.url, "GET", "/repos/acme/web-app/collaborators/linus/permission", {
      token,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ permission: "read", role_name: "read", user: { login: "linus" } });
  });

  it("narrowed to fewer repositories and permissions, reach only those and answer 403 for the rest", async () => {
    const { body } = await api(standIn.url, "POST", `/app/installations/${installationId()}/access_tokens`, {
      token: jwt(),
      scheme: "bearer",
      body: { repositories: ["web-app"], permissions: { checks: "write" } },
    });
    const narrowed = body as { token: string; permissions: unknown; repositories: { full_name: string }[] };
    expect(narrowed.permissions).toEqual({ checks: "write", metadata: "read" });
    expect(narrowed.repositories.map((r) => r.full_name)).toEqual(["acme/web-app"]);
    const token = narrowed.token;
    expect((await api(standIn.url, "GET", "/repos/acme/api", { token })).status).toBe(404);
    const statusWrite = await api(standIn.url, "POST", `/repos/acme/web-app/statuses/${"b".repeat(40)}`, {
      token,
      body: { state: "pending" },
    });
    expect(statusWrite.status).toBe(403);
    expect((statusWrite.body as { message: string }).message).toBe("Resource not accessible by integration");
    expect(statusWrite.headers.get("x-accepted-github-permissions")).toBe("statuses=write");
    const listed = await api(standIn.url, "GET", "/installation/repositories", { token });
    expect((listed.body as { total_count: number }).total_count).toBe(1);
  });

  it("cannot be narrowed beyond the installation", async () => {
    const ask = (body: unknown) =>
      api(standIn.url, "POST", `/app/installations/${installationId()}/access_tokens`, {
        token: jwt(),
        scheme: "bearer",
        body,
      });
    const outside = await ask({ repositories: ["payments"] });
    expect([outside.status, (outside.body as { message: string }).message]).toEqual([
      422,
      "There is at least one repository that does not exist or is not accessible to the parent installation.",
    ]);
    const byId = await ask({ repository_ids: [123_456_789] });
    expect(byId.status).toBe(422);
    const more = await ask({ permissions: { administration: "write" } });
    expect([more.status, (more.body as { message: string }).message]).toEqual([
      422,
      "The permissions requested are not granted to this installation.",
    ]);
    expect((await ask({ permissions: { checks: "owner" } })).status).toBe(422);
    expect((await ask({ repositories: "web-app" })).status).toBe(422);
  });

  it("answer 401 once expired, and are not user tokens", async () => {
    const token = await installationToken();
    const ada = await signIn(standIn.url, "ada");
    const onUserRoute = await api(standIn.url, "GET", "/user", { token });
    expect([onUserRoute.status, (onUserRoute.body as { message: string }).message]).toEqual([
      403,
      "Resource not accessible by integration",
    ]);
    const userOnInstallationRoute = await api(standIn.url, "GET", "/installation/repositories", { token: ada });
    expect(userOnInstallationRoute.status).toBe(403);
    clock += 3_600_000;
    try {
      const expired = await api(standIn.url, "GET", "/repos/acme/web-app", { token });
      expect([expired.status, (expired.body as { message: string }).message]).toEqual([401, "Bad credentials"]);
    } finally {
      clock -= 3_600_000;
    }
    expect((await api(standIn.url, "GET", "/repos/acme/web-app", { token })).status).toBe(200);
  });
});

describe("permissions the App asks for later", () => {
  it("stay ungranted until the installation approves them, and uninstalling ends its tokens", async () => {
    const fresh = await startGitHubStandIn({
      now: () => clock,
      apps: [
        { name: "Growing", owner: "acme", permissions: { checks: "write" }, installations: [{ account: "acme" }] },
      ],
    });
    try {
      const [app] = fresh.apps as [AppCredentials];
      const id = app.installations[0]?.id ?? 0;
      const ask = () =>
        api(fresh.url, "POST", `/app/installations/${id}/access_tokens`, {
          token: appJwt(app.privateKey, app.id, clock),
          scheme: "bearer",
          body: { permissions: { deployments: "write" } },
        });
      const changed = await control(fresh.url, "/apps/permissions", {
        app: "growing",
        permissions: { checks: "write", deployments: "write" },
      });
      expect(changed.status).toBe(200);
      expect((await ask()).status).toBe(422);
      const approved = await control(fresh.url, "/installations/approve", { installation: id });
      expect(approved.body).toMatchObject({ permissions: { checks: "write", deployments: "write", metadata: "read" } });
      const granted = await ask();
      expect(granted.status).toBe(201);
      const token = (granted.body as { token: string }).token;
      expect((await control(fresh.url, "/installations/delete", { installation: id })).status).toBe(200);
      // Uninstalling ends the installation's tokens too.
      expect((await api(fresh.url, "GET", "/repos/acme/web-app", { token })).status).toBe(401);
      const gone = await api(fresh.url, "GET", "/app/installations", {
        token: appJwt(app.privateKey, app.id, clock),
        scheme: "bearer",
      });
      expect(gone.body).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });
});
