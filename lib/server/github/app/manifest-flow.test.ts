import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The one-click setup end to end over HTTP, as an administrator's browser goes through it: Stageboard's manifest
// form, the stand-in's creation page, GitHub's redirect to Stageboard's callback (the route handler as Next calls
// it), the exchange of the code, the credentials stored sealed, and the App then working from them. No GITHUB_APP_*.
const state = vi.hoisted(() => ({
  db: undefined as object | undefined,
  viewer: null as Viewer | null,
  sessionToken: "",
}));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));
vi.mock("@/lib/server/session", () => ({ getViewer: () => Promise.resolve(state.viewer) }));
vi.mock("@/lib/server/rate-limit/store", () => ({
  appRateLimits: () => ({ consume: () => Promise.resolve({ kind: "allowed" }) }),
}));
// Outside a request there is no cookie store: the session cookie the browser would send.
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: () => (state.sessionToken ? { value: state.sessionToken } : undefined) }),
}));

const APP_URL = "http://localhost:3000";
const CONVERSIONS = "POST /app-manifests/{code}/conversions";
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let callback: { GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> };
const users: Record<string, string> = {};

function viewerFor(login: string, isAdmin: boolean): Viewer {
  return {
    userId: users[login] ?? "",
    login,
    name: null,
    image: null,
    isAdmin,
    repositories: new Map(),
    repositoryIds: new Map(),
    fetchedAt: new Date(),
    accessError: null,
  };
}

const signInAs = (login: string, isAdmin: boolean) => {
  state.viewer = viewerFor(login, isAdmin);
  state.sessionToken = `session-of-${login}-${randomBytes(8).toString("hex")}`;
};

async function setupView() {
  const { loadSetupView } = await import("./setup-view");
  const { sessionBinding } = await import("./session-binding");
  return loadSetupView({ db: database.db, binding: await sessionBinding(state.viewer!) });
}

/** The browser posts Stageboard's form to GitHub, then creates the App there as `login`; GitHub's redirect. */
async function createOnGitHub(form: { manifest: string; userAction: string }, login: string): Promise<URL> {
  const page = await fetch(form.userAction, { method: "POST", body: new URLSearchParams({ manifest: form.manifest }) });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("checks: write");
  const stateParam = new URL(form.userAction).searchParams.get("state") ?? "";
  const created = await fetch(`${standIn.url}/organizations/acme/settings/apps/new`, {
    method: "POST",
    body: new URLSearchParams({
      manifest: form.manifest,
      state: stateParam,
      name: "Stageboard (acme)",
      login,
      decision: "create",
    }),
    redirect: "manual",
  });
  expect(created.status).toBe(302);
  return new URL(created.headers.get("location") ?? "");
}

const follow = async (url: URL | string) => {
  const response = await callback.GET(new Request(url), { params: Promise.resolve({}) });
  return { status: response.status, location: response.headers.get("location") ?? "" };
};

const conversions = async () =>
  (await standInControl<{ routes: Record<string, number> }>(standIn.url, "requests")).routes[CONVERSIONS] ?? 0;

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("NEXTAUTH_URL", APP_URL);
  vi.stubEnv("STAGEBOARD_ADMINS", "ada");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const seal = (await import("@/lib/server/auth/adapter")).sealToken;
  for (const login of ["ada", "linus"]) {
    const token = await standInToken(standIn.url, login);
    users[login] = await createSignedInUser(
      database.db,
      { login, githubId: await standInAccountId(standIn.url, login), token },
      seal,
    );
  }
  callback = await import("@/app/api/github/app/manifest-callback/route");
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});

describe("creating the GitHub App from the setup page", () => {
  let redirect: URL;
  let form: { manifest: string; userAction: string };

  it("offers the manifest form while no App is configured, posting to GitHub with a state for this session", async () => {
    signInAs("ada", true);
    const view = await setupView();
    if (view.kind !== "not-configured" || !view.form) throw new Error(`expected the form, got ${view.kind}`);
    form = view.form;
    expect(form.userAction).toMatch(new RegExp(`^${standIn.url}/settings/apps/new\\?state=`));
    expect(JSON.parse(form.manifest)).toMatchObject({ redirect_url: `${APP_URL}/api/github/app/manifest-callback` });
    redirect = await createOnGitHub(form, "ada");
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${APP_URL}/api/github/app/manifest-callback`);
  });

  it("refuses a code that comes back to another session, without spending it", async () => {
    const started = state.sessionToken;
    signInAs("ada", true);
    expect(await follow(redirect)).toEqual({
      status: 303,
      location: `${APP_URL}/settings/github-app?setup=state-mismatch`,
    });
    expect(await conversions()).toBe(0);
    state.sessionToken = started;
    const refusal = await database.db.auditEntry.findFirst({
      where: { entry: "refusal", action: "github-app-register" },
    });
    expect(refusal).toMatchObject({ actorLogin: "ada", error: "the state is not-this-session" });
  });

  it("refuses someone who is not an administrator, whatever the cached flag says", async () => {
    const admin = { viewer: state.viewer, token: state.sessionToken };
    signInAs("linus", true);
    const answer = await callback.GET(new Request(redirect), { params: Promise.resolve({}) });
    expect(answer.status).toBe(403);
    expect(await conversions()).toBe(0);
    state.viewer = admin.viewer;
    state.sessionToken = admin.token;
  });

  it("exchanges the code once, stores the credentials sealed, audits it, and sends the admin on to install it", async () => {
    const before = await database.db.auditEntry.count();
    expect(await follow(redirect)).toEqual({
      status: 303,
      location: `${standIn.url}/apps/stageboard-acme/installations/new`,
    });
    expect(await conversions()).toBe(1);
    const row = await database.db.gitHubAppRegistration.findUniqueOrThrow({ where: { id: 1 } });
    expect(row).toMatchObject({ slug: "stageboard-acme", ownerLogin: "acme", createdByLogin: "ada" });
    const stored = JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(stored).not.toMatch(/PRIVATE KEY|MII/);
    expect(row.privateKeySealed).toMatch(/^v2\./);
    expect(row.webhookSecretSealed).toMatch(/^v2\./);
    const audit = await database.db.auditEntry.findMany({
      where: { id: { gt: BigInt(before) } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.entry, a.action, a.outcome, a.actorLogin])).toEqual([
      ["attempt", "github-app-register", "attempted", "ada"],
      ["outcome", "github-app-register", "succeeded", "ada"],
    ]);
  });

  it("then acts as that App from the stored credentials", async () => {
    const { githubApp } = await import("./index");
    const app = await githubApp();
    expect(app).toMatchObject({ source: "database", slug: "stageboard-acme" });
    const { data } = await app!.octokit().request("GET /app");
    expect(data).toMatchObject({ slug: "stageboard-acme", permissions: { checks: "write", pull_requests: "read" } });
  });

  it("does not take a second App: the code is not exchanged again", async () => {
    expect(await follow(redirect)).toEqual({
      status: 303,
      location: `${APP_URL}/settings/github-app?setup=already-configured`,
    });
    expect(await conversions()).toBe(1);
  });

  it("shows the App with its installations once installed, and what no installation reaches", async () => {
    const target = await database.db.target.create({
      data: { id: "t1", accountId: "111122223333", region: "us-east-1" },
    });
    for (const fullName of ["acme/web-app", "globex/storefront"]) {
      const [owner = "", name = ""] = fullName.split("/");
      const repository = await database.db.repository.create({ data: { fullName, owner, name } });
      await database.db.pipeline.create({
        data: { targetId: target.id, name: `${name}-prod`, version: 1, repositoryId: repository.id },
      });
    }
    const before = await setupView();
    expect(before).toMatchObject({ kind: "configured", github: { installations: [] } });
    const installed = await fetch(`${standIn.url}/apps/stageboard-acme/installations/new`, {
      method: "POST",
      body: new URLSearchParams({ login: "ada", account: "acme", selection: "all", decision: "install" }),
      redirect: "manual",
    });
    expect(new URL(installed.headers.get("location") ?? "").searchParams.get("setup_action")).toBe("install");
    const view = await setupView();
    if (view.kind !== "configured" || !view.github) throw new Error("expected the configured App");
    expect(view.github.installations).toMatchObject([{ account: "acme", selection: "all", unapproved: [] }]);
    expect(view.github.uncovered).toEqual(["globex/storefront"]);
    // The App now asks for more: the installation keeps its grant until an owner of acme approves.
    await standInControl(standIn.url, "apps/permissions", {
      app: "stageboard-acme",
      permissions: {
        ...(JSON.parse(form.manifest) as { default_permissions: object }).default_permissions,
        issues: "write",
      },
    });
    const asked = await setupView();
    expect(asked.kind === "configured" && asked.github?.installations[0]?.unapproved).toEqual([
      { name: "issues", requested: "write", granted: null },
    ]);
  });
});
