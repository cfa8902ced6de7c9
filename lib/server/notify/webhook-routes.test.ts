import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type { Viewer } from "@/lib/server/auth/visibility";
import type * as DbClient from "@/lib/server/db/client";
import type * as Settings from "@/lib/server/notify/settings";
import { serverSchema } from "@/lib/config/schema";
import { startReceiver, type Receiver } from "@/lib/server/notify/testing/receiver";
import { createSignedInUser, standInAccountId, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The webhook routes as Next calls them, on a real Postgres, the GitHub stand-in (each change asks it for the
// person's permission now) and a receiver on loopback. The session is stubbed: no cookie store outside a request.
const state = vi.hoisted(() => ({
  viewer: null as Viewer | null,
  db: undefined as object | undefined,
  allowPrivate: true,
}));
// NOTIFY_ALLOW_PRIVATE_URLS is read once per process; each test chooses it here instead.
vi.mock("@/lib/server/notify/settings", async (importOriginal) => ({
  ...(await importOriginal<typeof Settings>()),
  urlPolicy: () => ({ allowPrivate: state.allowPrivate }),
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

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Routes = {
  list: { GET: Handler; POST: Handler };
  one: { PATCH: Handler; DELETE: Handler };
  test: { POST: Handler };
  redeliver: { POST: Handler };
};

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let receiver: Receiver;
let routes: Routes;
const users: Record<string, string> = {};
const REPO = { owner: "acme", name: "web-app" };
const REPO_ID = 9001n;
const SECRET = "json-receiver-secret-abcdefghijkl";

function viewerFor(login: string, cached: string, isAdmin = false): Viewer {
  return {
    userId: users[login] ?? "",
    login,
    name: null,
    image: null,
    isAdmin,
    repositories: new Map([["acme/web-app", cached]]),
    repositoryIds: new Map([["acme/web-app", REPO_ID]]),
    fetchedAt: new Date(),
    accessError: null,
  } as Viewer;
}

const call = async (handler: Handler, path: string, params: Record<string, string>, method = "GET", body?: unknown) => {
  const init: RequestInit =
    method === "GET"
      ? {}
      : {
          method,
          headers: { origin: "http://localhost:3000", "content-type": "application/json" },
          body: JSON.stringify(body ?? {}),
        };
  const response = await handler(new Request(`http://localhost:3000${path}`, init), {
    params: Promise.resolve(params),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as { data?: unknown; error?: { message: string } } };
};
const base = "/api/repositories/acme/web-app/webhooks";
const list = () => call(routes.list.GET, base, REPO);
const create = (body: unknown) => call(routes.list.POST, base, REPO, "POST", body);

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  receiver = await startReceiver();
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  // A pipeline delivers acme/web-app (its repository row is pinned to the id the viewers' lists give it).
  await database.db.repository.create({
    data: { fullName: "acme/web-app", owner: "acme", name: "web-app", githubId: REPO_ID },
  });
  const seal = (await import("@/lib/server/auth/adapter")).sealToken;
  for (const login of ["ada", "linus"]) {
    const token = await standInToken(standIn.url, login);
    const githubId = await standInAccountId(standIn.url, login);
    users[login] = await createSignedInUser(database.db, { login, githubId, token }, seal);
  }
  routes = {
    list: await import("@/app/api/repositories/[owner]/[name]/webhooks/route"),
    one: await import("@/app/api/repositories/[owner]/[name]/webhooks/[webhookId]/route"),
    test: await import("@/app/api/repositories/[owner]/[name]/webhooks/[webhookId]/test/route"),
    redeliver:
      await import("@/app/api/repositories/[owner]/[name]/webhooks/[webhookId]/deliveries/[deliveryId]/redeliver/route"),
  };
});
afterAll(async () => {
  await receiver.stop();
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  state.viewer = viewerFor("ada", "admin");
  receiver.received.length = 0;
});

describe("webhook routes", () => {
  it("lets a repository admin add webhooks, and never answers with the URL or the secret", async () => {
    const slackUrl = `${receiver.url}/services/T0/B0/SLACKTOKEN123`;
    const slack = await create({ format: "slack", url: slackUrl, events: ["approval.waiting", "approval.decided"] });
    expect(slack.status).toBe(201);
    const json = await create({
      format: "json",
      url: `${receiver.url}/json`,
      events: ["execution.failed"],
      secret: SECRET,
    });
    expect(json.status).toBe(201);
    const answer = await list();
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject([
      {
        format: "slack",
        urlHint: `${receiver.url}/…N123`,
        hasSecret: false,
        events: ["approval.waiting", "approval.decided"],
      },
      { format: "json", hasSecret: true, events: ["execution.failed"], createdByLogin: "ada" },
    ]);
    expect(answer.text).not.toContain("SLACKTOKEN");
    expect(answer.text).not.toContain(SECRET);
    // Stored sealed, and audited without either.
    const rows = await database.db.notifyWebhook.findMany();
    expect(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
      /SLACKTOKEN|json-receiver-secret/,
    );
    const audit = await database.db.auditEntry.findMany({ where: { entry: "policy-change" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorLogin: "ada", actorGithubId: 1001n, repository: "acme/web-app" });
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
      /SLACKTOKEN|json-receiver-secret/,
    );
  });

  it("refuses readers, and an admin GitHub no longer confirms, saying why", async () => {
    state.viewer = viewerFor("linus", "read");
    expect((await list()).status).toBe(403);
    const refused = await create({ format: "slack", url: `${receiver.url}/x`, events: ["approval.waiting"] });
    expect(refused).toMatchObject({
      status: 403,
      json: { error: { message: "Managing notifications needs admin on acme/web-app; you have read" } },
    });
    // The cache says admin; GitHub, asked now, says read.
    state.viewer = viewerFor("linus", "admin");
    expect((await create({ format: "slack", url: `${receiver.url}/x`, events: ["approval.waiting"] })).status).toBe(
      403,
    );
    // A repository the viewer administers but no pipeline delivers has no notifications to configure.
    state.viewer = {
      ...viewerFor("ada", "admin"),
      repositories: new Map([["acme/no-pipelines", "admin"]]),
      repositoryIds: new Map([["acme/no-pipelines", 9002n]]),
    };
    const unknown = await call(
      routes.list.POST,
      "/api/repositories/acme/no-pipelines/webhooks",
      { owner: "acme", name: "no-pipelines" },
      "POST",
      {
        format: "slack",
        url: `${receiver.url}/x`,
        events: ["approval.waiting"],
      },
    );
    expect(unknown.status).toBe(404);
    // A repository the viewer cannot see at all does not exist for them.
    const elsewhere = await call(routes.list.GET, "/api/repositories/globex/api/webhooks", {
      owner: "globex",
      name: "api",
    });
    expect(elsewhere.status).toBe(404);
  });

  it("refuses URLs that are not https to a public address, and bad input, with the reason", async () => {
    expect(serverSchema.NOTIFY_ALLOW_PRIVATE_URLS.parse(undefined)).toBe(false);
    expect(serverSchema.NOTIFY_ALLOW_PRIVATE_URLS.parse("true")).toBe(true);
    state.allowPrivate = false;
    try {
      const loopback = await create({ format: "slack", url: `${receiver.url}/x`, events: ["approval.waiting"] });
      expect(loopback).toMatchObject({ status: 422, json: { error: { message: "url: must be an https URL" } } });
      const internal = await create({ format: "slack", url: "https://10.1.2.3/x", events: ["approval.waiting"] });
      expect(internal.json.error?.message).toMatch(/^url: points at 10\.1\.2\.3 is a private address/);
    } finally {
      state.allowPrivate = true;
    }
    const metadata = await create({
      format: "slack",
      url: "http://169.254.169.254/latest",
      events: ["approval.waiting"],
    });
    expect(metadata.status).toBe(422);
    expect((await create({ format: "json", url: "https://example.com/x", events: ["approval.waiting"] })).status).toBe(
      422,
    );
    expect((await create({ format: "slack", url: "https://example.com/x", events: [] })).status).toBe(422);
    expect(receiver.received).toEqual([]);
  });

  it("sends a test notice now, and redelivers a failed one", async () => {
    const made = await create({
      format: "json",
      url: `${receiver.url}/test-me`,
      events: ["approval.waiting"],
      secret: SECRET,
    });
    const { id } = made.json.data as { id: string };
    const params = { ...REPO, webhookId: id };
    receiver.answer({ status: 400, body: "nope" });
    const sent = await call(routes.test.POST, `${base}/${id}/test`, params, "POST");
    expect(sent.json.data).toMatchObject({ status: "failed", statusCode: 400, error: "HTTP 400: nope" });
    expect(receiver.received[0]?.headers["x-stageboard-event"]).toBe("ping");
    const { deliveryId } = sent.json.data as { deliveryId: string };
    const again = await call(
      routes.redeliver.POST,
      `${base}/${id}/deliveries/${deliveryId}/redeliver`,
      { ...params, deliveryId },
      "POST",
    );
    expect(again.json.data).toMatchObject({ status: "delivered", statusCode: 200, error: null });
    expect(receiver.received.map((r) => r.headers["x-stageboard-delivery"])).toEqual([deliveryId, deliveryId]);
    const shown = ((await list()).json.data as { id: string; deliveries: unknown[] }[]).find((w) => w.id === id);
    expect(shown?.deliveries).toMatchObject([
      { id: deliveryId, event: "ping", status: "delivered", attempts: 1, lastStatusCode: 200 },
    ]);
  });

  it("turns a webhook off and deletes it, each change audited", async () => {
    const made = await create({ format: "slack", url: `${receiver.url}/x`, events: ["approval.waiting"] });
    const { id } = made.json.data as { id: string };
    const params = { ...REPO, webhookId: id };
    expect((await call(routes.one.PATCH, `${base}/${id}`, params, "PATCH", { enabled: false })).status).toBe(200);
    expect((await call(routes.one.PATCH, `${base}/${id}`, params, "PATCH", {})).status).toBe(422);
    expect((await call(routes.one.DELETE, `${base}/${id}`, params, "DELETE")).status).toBe(200);
    expect((await call(routes.one.DELETE, `${base}/${id}`, params, "DELETE")).status).toBe(404);
    const audit = await database.db.auditEntry.findMany({
      where: { entry: "policy-change" },
      orderBy: { id: "desc" },
      take: 2,
    });
    expect(audit.map((a) => a.parameters)).toMatchObject([
      { before: { id, enabled: false }, after: null },
      { before: { id, enabled: true }, after: { id, enabled: false } },
    ]);
  });
});
