import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import type * as DbClient from "@/lib/server/db/client";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as UserToken from "./user-token";
import type * as Visibility from "./visibility";
import type * as FreshPermission from "@/lib/server/control/fresh-permission";

// Sign-in through the GitHub App (GITHUB_SIGN_IN=github-app) against the GitHub stand-in over HTTP: real App user
// tokens with 8-hour expiry and refresh tokens, a real PostgreSQL for the accounts, sessions and locks.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 320001;
const CLIENT_ID = "Iv23liSignInTest0001";
const CLIENT_SECRET = "sign-in-test-secret";

let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let userToken: typeof UserToken;
let visibility: typeof Visibility;
let fresh: typeof FreshPermission;
let seal: (token: string, column: "access_token" | "refresh_token", id: string) => string | null;

type Pair = { access_token: string; refresh_token: string; expires_in: number; refresh_token_expires_in: number };

async function appTokens(login: string): Promise<Pair> {
  const redirect = "http://127.0.0.1:9/api/auth/callback/github";
  const consent = await fetch(`${standIn.url}/login/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: redirect,
      state: "s",
      login,
      decision: "authorize",
    }),
  });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const exchanged = await fetch(`${standIn.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json" },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: redirect }),
  });
  return (await exchanged.json()) as Pair;
}

const control = (path: string, body: unknown) =>
  fetch(`${standIn.url}/_stand-in/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

let nextId = 1;
/** A person signed in through the App, with two sessions; `expiresInS` sets how long their stored token has left. */
async function signedIn(login: string, expiresInS: number) {
  const pair = await appTokens(login);
  const providerAccountId = String(9000 + nextId);
  const user = await database.db.user.create({ data: { githubId: 9000 + nextId++, login } });
  const nowS = Math.floor(Date.now() / 1000);
  await database.db.account.create({
    data: {
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId,
      access_token: seal(pair.access_token, "access_token", providerAccountId),
      refresh_token: seal(pair.refresh_token, "refresh_token", providerAccountId),
      expires_at: nowS + expiresInS,
      refresh_token_expires_at: nowS + pair.refresh_token_expires_in,
      scope: "",
    },
  });
  const expires = new Date(Date.now() + 86_400_000);
  for (const tokenHash of [`${login}-a-${nextId}`, `${login}-b-${nextId}`])
    await database.db.session.create({ data: { tokenHash, userId: user.id, expires } });
  return { userId: user.id, pair };
}

const tokenRefreshes = async () => {
  const counts = (await (await fetch(`${standIn.url}/_stand-in/requests`)).json()) as {
    requests: Record<string, number>;
  };
  return counts.requests["POST /login/oauth/access_token"] ?? 0;
};

beforeAll(async () => {
  const started = await startAppStandIn(
    {
      id: APP_ID,
      name: "Stageboard (sign-in test)",
      slug: "stageboard-sign-in-test",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      webhookSecret: "sign-in-webhook-secret",
      permissions: { checks: "write", statuses: "write", metadata: "read" },
      installations: [
        { id: 520001, account: "acme", repositories: ["web-app", "api"] },
        { id: 520002, account: "globex" },
      ],
    },
    { repositories: ["acme/web-app", "acme/api", "acme/payments", "globex/storefront"] },
  );
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  vi.stubEnv("GITHUB_SIGN_IN", "github-app");
  vi.stubEnv("GITHUB_APP_CLIENT_ID", CLIENT_ID);
  vi.stubEnv("GITHUB_APP_CLIENT_SECRET", CLIENT_SECRET);
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const { sealToken } = await import("./adapter");
  seal = (token, column, providerAccountId) => sealToken(token, { column, provider: "github", providerAccountId });
  userToken = await import("./user-token");
  visibility = await import("./visibility");
  fresh = await import("@/lib/server/control/fresh-permission");
});

afterAll(async () => {
  await database?.drop();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

describe("an App user token before use", () => {
  it("is used as is while it has hours left", async () => {
    const { userId, pair } = await signedIn("linus", 8 * 3600);
    const before = await tokenRefreshes();
    expect(await userToken.freshUserToken(database.db, userId)).toBe(pair.access_token);
    expect(await tokenRefreshes()).toBe(before);
  });

  it("is renewed once near its expiry, even with concurrent callers, and the new pair is stored", async () => {
    const { userId, pair } = await signedIn("grace", 60);
    const before = await tokenRefreshes();
    // Two "processes": separate calls that do not share the in-process promise wait on the row lock instead.
    const [a, b, c] = await Promise.all([
      userToken.freshUserToken(database.db, userId),
      userToken.freshUserToken(database.db, userId),
      visibility.userToken(database.db, userId),
    ]);
    expect(await tokenRefreshes()).toBe(before + 1);
    expect(a).toMatch(/^ghu_/);
    expect(a).not.toBe(pair.access_token);
    expect([b, c]).toEqual([a, a]);
    const me = await fetch(`${standIn.url}/api/v3/user`, { headers: { authorization: `token ${a ?? ""}` } });
    expect(me.status).toBe(200);
    const stored = await database.db.account.findFirstOrThrow({
      where: { userId },
      select: { expires_at: true, refresh_token: true },
    });
    expect(stored.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 7 * 3600);
    expect(stored.refresh_token).toMatch(/^v2\./);
    // Renewed: the next caller uses it without asking GitHub.
    expect(await userToken.freshUserToken(database.db, userId)).toBe(a);
    expect(await tokenRefreshes()).toBe(before + 1);
  });

  it("signs the person out when GitHub refuses the refresh token: sessions deleted and remembered", async () => {
    const { userId } = await signedIn("margaret", 60);
    const revoked = await control("apps/authorizations/revoke", { login: "margaret", app: "stageboard-sign-in-test" });
    expect(revoked.status).toBe(200);
    const hashes = (await database.db.session.findMany({ where: { userId } })).map((s) => s.tokenHash);
    expect(hashes).toHaveLength(2);
    expect(await userToken.freshUserToken(database.db, userId)).toBeNull();
    expect(await database.db.session.count({ where: { userId } })).toBe(0);
    for (const hash of hashes) expect(await userToken.endedByGitHub(database.db, hash)).toBe(true);
    expect(await userToken.endedByGitHub(database.db, "another-session")).toBe(false);
    const account = await database.db.account.findFirstOrThrow({
      where: { userId },
      select: { access_token: true, refresh_token: true },
    });
    expect([account.access_token, account.refresh_token]).toEqual([null, null]);
    // No loop: the next use finds nothing to renew and asks GitHub nothing.
    const before = await tokenRefreshes();
    expect(await userToken.freshUserToken(database.db, userId)).toBeNull();
    expect(await tokenRefreshes()).toBe(before);
  });

  it("ends the sign-in when a token revoked before its expiry is refused and its renewal too", async () => {
    const { userId } = await signedIn("grace", 8 * 3600);
    await control("apps/authorizations/revoke", { login: "grace", app: "stageboard-sign-in-test" });
    const viewer = await visibility.loadViewer(database.db, userId);
    expect(viewer?.repositories.size).toBe(0);
    expect(await database.db.session.count({ where: { userId } })).toBe(0);
  });

  it("does not use a token the OAuth App issued (it has scopes) once the App signs people in", async () => {
    const { userId } = await signedIn("linus", 8 * 3600);
    await database.db.account.updateMany({ where: { userId }, data: { scope: "read:user,user:email,repo,read:org" } });
    expect(await userToken.freshUserToken(database.db, userId)).toBeNull();
  });
});

describe("visibility with App sign-in", () => {
  it("is the repositories of the person's installations, with their own permissions", async () => {
    const { userId } = await signedIn("ada", 8 * 3600);
    const viewer = await visibility.loadViewer(database.db, userId);
    // ada administers acme/* and reads globex/*; the App is on acme/web-app, acme/api and all of globex.
    expect(Object.fromEntries(viewer?.repositories ?? [])).toEqual({
      "acme/api": "admin",
      "acme/web-app": "admin",
      "globex/storefront": "read",
    });
    expect(viewer?.accessError).toBeNull();
  });
});

describe("decision-time permission with App sign-in", () => {
  it("is the person's role read through the installation, not the user token's intersection", async () => {
    const { userId } = await signedIn("ada", 8 * 3600);
    expect(await fresh.freshRepositoryPermission(userId, "acme/web-app", database.db)).toBe("admin");
    expect(await fresh.freshRepositoryPermission(userId, "globex/storefront", database.db)).toBe("read");
  });

  it("is refused with a message on a repository the App is not installed on", async () => {
    const { userId } = await signedIn("ada", 8 * 3600);
    await expect(fresh.freshRepositoryPermission(userId, "acme/payments", database.db)).rejects.toThrow(
      /GitHub App is not installed on acme\/payments/,
    );
  });

  it("asks the person to sign in again once GitHub has ended their sign-in", async () => {
    const { userId } = await signedIn("grace", 60);
    await control("apps/authorizations/revoke", { login: "grace", app: "stageboard-sign-in-test" });
    await expect(fresh.freshRepositoryPermission(userId, "globex/storefront", database.db)).rejects.toThrow(
      /sign in again/,
    );
  });
});
