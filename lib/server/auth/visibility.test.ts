import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type * as Visibility from "@/lib/server/auth/visibility";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The visibility cache against the GitHub stand-in over HTTP: a real token from its OAuth flow,
// then revocation and an outage, with the clock passed in. App modules are imported only after the
// environment points at the stand-in, because the configuration is read once, at import.
const TTL_S = 300;
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let visibility: typeof Visibility;
let userId: string;

async function tokenFor(login: string): Promise<string> {
  const redirect = "http://127.0.0.1:9/callback";
  const form = new URLSearchParams({
    client_id: "stageboard-dev",
    redirect_uri: redirect,
    scope: "read:user user:email repo read:org",
    state: "s",
    login,
    decision: "authorize",
  });
  const consent = await fetch(`${standIn.url}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const exchanged = await fetch(`${standIn.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: "stageboard-dev",
      client_secret: "stageboard-dev-secret",
      code,
      redirect_uri: redirect,
    }),
  });
  return ((await exchanged.json()) as { access_token: string }).access_token;
}

const control = (path: string, body: unknown) =>
  fetch(`${standIn.url}/_stand-in/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0, repositories: ["acme/web-app", "acme/api", "globex/storefront"] });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("REPOSITORY_CACHE_TTL_SECONDS", String(TTL_S));
  vi.stubEnv("STAGEBOARD_ADMINS", "team:acme/platform");
  visibility = await import("@/lib/server/auth/visibility");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  const user = await database.db.user.create({ data: { githubId: 1001, login: "ada" } });
  userId = user.id;
  await database.db.account.create({
    data: {
      userId,
      type: "oauth",
      provider: "github",
      providerAccountId: "1",
      access_token: sealToken(await tokenFor("ada"), {
        column: "access_token",
        provider: "github",
        providerAccountId: "1",
      }),
    },
  });
});

afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});

describe("repository visibility", () => {
  it("fetches what the token can read, with permissions, and admin membership by team", async () => {
    const viewer = await visibility.loadViewer(database.db, userId);
    expect(Object.fromEntries(viewer?.repositories ?? [])).toEqual({
      "acme/api": "admin",
      "acme/web-app": "admin",
      "globex/storefront": "read",
    });
    expect(viewer?.isAdmin).toBe(true);
    expect(viewer?.accessError).toBeNull();
    const stored = await database.db.account.findFirstOrThrow({ where: { userId }, select: { access_token: true } });
    expect(stored.access_token).toMatch(/^v2\./);
  });

  it("serves the cached list within the TTL, even while GitHub is down", async () => {
    const fetchedAt =
      (await database.db.user.findUniqueOrThrow({ where: { id: userId } })).reposFetchedAt?.getTime() ?? 0;
    await control("outage", { down: true });
    try {
      const viewer = await visibility.loadViewer(database.db, userId, fetchedAt + (TTL_S / 4) * 1000);
      expect(viewer?.repositories.size).toBe(3);
      expect(viewer?.accessError).toBeNull();
    } finally {
      await control("outage", { down: false });
    }
  });

  it("drops a repository revoked on GitHub once the TTL has passed", async () => {
    await control("grants", { login: "ada", repository: "globex/storefront", permission: "none" });
    const fetchedAt =
      (await database.db.user.findUniqueOrThrow({ where: { id: userId } })).reposFetchedAt?.getTime() ?? 0;
    const within = await visibility.loadViewer(database.db, userId, fetchedAt + 1000);
    expect(within?.repositories.has("globex/storefront")).toBe(true);
    const after = await visibility.loadViewer(database.db, userId, fetchedAt + (TTL_S + 1) * 1000);
    expect(after?.repositories.has("globex/storefront")).toBe(false);
    expect(after?.repositories.has("acme/web-app")).toBe(true);
  });

  it("shows nothing and says why when GitHub is down past the TTL, and recovers when it is back", async () => {
    await control("outage", { down: true });
    const past = Date.now() + (TTL_S + 60) * 1000;
    const down = await visibility.loadViewer(database.db, userId, past);
    expect(down?.repositories.size).toBe(0);
    expect(down?.isAdmin).toBe(false);
    expect(down?.accessError).toMatch(/GitHub could not be reached/);
    await control("outage", { down: false });
    // GitHub is asked again once the failure's backoff (at most 5 min) has passed.
    const back = await visibility.loadViewer(database.db, userId, past + 6 * 60_000);
    expect(back?.repositories.size).toBeGreaterThan(0);
    expect(back?.accessError).toBeNull();
  });

  it("asks the person to sign in again when GitHub rejects the token", async () => {
    await control("tokens/revoke", { login: "ada" });
    const viewer = await visibility.loadViewer(database.db, userId, Date.now() + TTL_S * 3 * 1000);
    expect(viewer?.repositories.size).toBe(0);
    expect(viewer?.accessError).toMatch(/sign in again/);
  });
});
