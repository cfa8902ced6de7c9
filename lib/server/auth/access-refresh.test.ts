import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type * as AccessRefresh from "@/lib/server/auth/access-refresh";
import type * as SessionViewer from "@/lib/server/auth/load-session-viewer";
import type * as Visibility from "@/lib/server/auth/visibility";
import type * as GitHubApi from "@/lib/server/github/api";
import { startGitHubRelay, type GitHubRelay } from "@/lib/server/testing/github-relay";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// When the repository list is asked of GitHub again, through the session loader every page uses:
// the GitHub stand-in over HTTP, behind a relay that counts its requests and can stall them. The
// clock is passed in, so backoffs are crossed without waiting; only the 3 s cap is waited for.
const TTL_S = 300;
const REPOS = "/api/v3/user/repos";
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let relay: GitHubRelay;
let database: TestDatabase;
let loader: typeof SessionViewer;
let refresh: typeof AccessRefresh;
let visibility: typeof Visibility;
let userId: string;
let cookie: string;

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

const outage = (down: boolean) =>
  fetch(`${standIn.url}/_stand-in/outage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ down }),
  });

/** The cached list is past its TTL as of `now`. */
const stale = (now: number) =>
  database.db.user.update({ where: { id: userId }, data: { reposFetchedAt: new Date(now - (TTL_S + 10) * 1000) } });
const state = () => database.db.accessRefresh.findUnique({ where: { userId } });
const load = (now: number) => loader.loadSessionViewer(database.db, cookie, now);

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0, repositories: ["acme/web-app", "acme/api", "globex/storefront"] });
  relay = await startGitHubRelay(standIn.url);
  vi.stubEnv("GITHUB_URL", relay.url);
  vi.stubEnv("GITHUB_API_URL", `${relay.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("REPOSITORY_CACHE_TTL_SECONDS", String(TTL_S));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  loader = await import("@/lib/server/auth/load-session-viewer");
  refresh = await import("@/lib/server/auth/access-refresh");
  visibility = await import("@/lib/server/auth/visibility");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  const { hashSessionToken, generateSessionToken } = await import("@/lib/server/auth/session-token");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  userId = (await database.db.user.create({ data: { githubId: 1001, login: "ada" } })).id;
  await database.db.account.create({
    data: {
      userId,
      type: "oauth",
      provider: "github",
      providerAccountId: "1001",
      access_token: sealToken(await tokenFor("ada"), {
        column: "access_token",
        provider: "github",
        providerAccountId: "1001",
      }),
    },
  });
  cookie = generateSessionToken();
  await database.db.session.create({
    data: { tokenHash: hashSessionToken(cookie), userId, expires: new Date(Date.now() + 7 * 86_400_000) },
  });
});

afterAll(async () => {
  await database?.drop();
  await relay?.stop();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

beforeEach(async () => {
  relay.stall(false);
  await outage(false);
  await database.db.accessRefresh.deleteMany();
});

describe("backoff after a failed refresh", () => {
  it("is not retried on the next request within the backoff, even once GitHub is back; it is after", async () => {
    const now = Date.now();
    await stale(now);
    await outage(true);
    const before = relay.requests(REPOS);
    const down = await load(now);
    expect(down?.repositories.size).toBe(0);
    expect(down?.accessError).toMatch(/could not be reached/);
    expect(relay.requests(REPOS)).toBe(before + 1);
    const failed = await state();
    expect(failed).toMatchObject({ failures: 1, leaseOwner: null });
    // On the caller's clock, when the attempt ended; the next one is 5 s ± 20% later.
    const failedAt = failed?.lastFailedAt?.getTime() ?? NaN;
    expect(failedAt).toBeGreaterThanOrEqual(now);
    expect(failedAt).toBeLessThan(now + 3_000);
    expect((failed?.retryAt?.getTime() ?? NaN) - failedAt).toBeGreaterThanOrEqual(4_000);
    expect((failed?.retryAt?.getTime() ?? NaN) - failedAt).toBeLessThanOrEqual(6_000);

    await outage(false);
    const within = await load(failedAt + 3_500);
    expect(within?.repositories.size).toBe(0);
    expect(within?.accessError).toMatch(/could not be reached/);
    expect(relay.requests(REPOS)).toBe(before + 1);

    const after = await load(failedAt + 6_500);
    expect(relay.requests(REPOS)).toBe(before + 2);
    expect(after?.repositories.size).toBe(3);
    expect(after?.accessError).toBeNull();
    expect(await state()).toBeNull();
  });

  it("doubles with each failure, and is shared by loaders that share nothing but the database", async () => {
    const now = Date.now();
    await stale(now);
    await outage(true);
    const before = relay.requests(REPOS);
    await load(now);
    await load(((await state())?.lastFailedAt?.getTime() ?? NaN) + 6_500);
    expect(relay.requests(REPOS)).toBe(before + 2);
    const second = await state();
    expect(second?.failures).toBe(2);
    // 10 s ± 20% after the second failure.
    const failedAt = second?.lastFailedAt?.getTime() ?? NaN;
    expect((second?.retryAt?.getTime() ?? NaN) - failedAt).toBeGreaterThanOrEqual(8_000);
    expect((second?.retryAt?.getTime() ?? NaN) - failedAt).toBeLessThanOrEqual(12_000);

    // Another instance: fresh modules, so no in-process state is shared with the loader above.
    vi.resetModules();
    const elsewhere = await import("@/lib/server/auth/load-session-viewer");
    await outage(false);
    const viewer = await elsewhere.loadSessionViewer(database.db, cookie, failedAt + 7_500);
    expect(viewer?.repositories.size).toBe(0);
    expect(relay.requests(REPOS)).toBe(before + 2);
    const later = await elsewhere.loadSessionViewer(database.db, cookie, failedAt + 12_500);
    expect(later?.repositories.size).toBe(3);
    expect(relay.requests(REPOS)).toBe(before + 3);
  });

  it("is skipped for a new sign-in: a new token is tried at once", async () => {
    const now = Date.now();
    await stale(now);
    await outage(true);
    await load(now);
    expect((await state())?.failures).toBe(1);
    await outage(false);
    const before = relay.requests(REPOS);
    expect(await visibility.refreshAccess(database.db, userId, "ada", { now: now + 1_000, force: true })).toEqual({
      kind: "refreshed",
    });
    expect(relay.requests(REPOS)).toBe(before + 1);
    expect(await state()).toBeNull();
  });
});

describe("one refresh at a time", () => {
  it("shares one GitHub round-trip between concurrent requests of one user", async () => {
    const now = Date.now();
    await stale(now);
    const before = relay.requests(REPOS);
    const viewers = await Promise.all(Array.from({ length: 5 }, () => load(now)));
    expect(viewers.map((v) => v?.repositories.size)).toEqual([3, 3, 3, 3, 3]);
    expect(relay.requests(REPOS)).toBe(before + 1);
  });

  it("leaves a refresh another instance is running to it, and shows the list it stores", async () => {
    const now = Date.now();
    await stale(now);
    await database.db.accessRefresh.create({
      data: { userId, leaseOwner: "other-instance", leaseUntil: new Date(now + 30_000) },
    });
    const before = relay.requests(REPOS);
    // The request reads the lease once its own claim has failed: from then on it waits for the other instance.
    let leaseReads = 0;
    const watched = database.db.$extends({
      query: {
        accessRefresh: {
          findUnique: ({ args, query }) => {
            leaseReads++;
            return query(args);
          },
        },
      },
    }) as unknown as typeof database.db;
    const viewer = loader.loadSessionViewer(watched, cookie, now);
    await vi.waitFor(() => expect(leaseReads).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    // The other instance finishes: a fresh list, and its lease released.
    await database.db.user.update({ where: { id: userId }, data: { reposFetchedAt: new Date(now) } });
    await database.db.accessRefresh.delete({ where: { userId } });
    expect((await viewer)?.repositories.size).toBe(3);
    expect(relay.requests(REPOS)).toBe(before);
  });
});

describe("a GitHub that stops answering", () => {
  it("holds a request for at most 3 s; the refresh then finishes in the background and records its failure", async () => {
    const now = Date.now();
    await stale(now);
    relay.stall(true);
    const before = relay.requests(REPOS);
    const started = performance.now();
    const viewer = await load(now);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(refresh.REFRESH_WAIT_MS - 100);
    expect(waited).toBeLessThan(refresh.REFRESH_WAIT_MS + 1_500);
    expect(viewer?.repositories.size).toBe(0);
    expect(viewer?.accessError).toBeTruthy();
    expect(relay.requests(REPOS)).toBe(before + 1);
    // Still running: it holds the lease, so no other request or instance asks GitHub meanwhile.
    expect((await state())?.leaseOwner).toBeTruthy();

    relay.release();
    await vi.waitFor(async () => expect(await state()).toMatchObject({ failures: 1, leaseOwner: null }), {
      timeout: 10_000,
      interval: 50,
    });
  });

  it("lets two instances refresh one person at once, as two simultaneous sign-ins do", async () => {
    vi.resetModules();
    const other: typeof Visibility = await import("@/lib/server/auth/visibility");
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.all(
        [visibility, other].map((instance) =>
          instance.refreshAccess(database.db, userId, "ada", { now: Date.now(), force: true }),
        ),
      );
      expect(outcomes).toEqual([{ kind: "refreshed" }, { kind: "refreshed" }]);
      expect(await database.db.userRepository.count({ where: { userId } })).toBe(3);
    }
  });

  it("ends every GitHub call of one unit of work at its deadline", async () => {
    const api: typeof GitHubApi = await import("@/lib/server/github/api");
    relay.stall(true);
    const started = performance.now();
    const call = api.withGitHubDeadline(300, () => api.githubPaginate("/user/repos", "token"));
    await expect(call).rejects.toMatchObject({ name: "GitHubError", status: 0 });
    expect(performance.now() - started).toBeLessThan(2_000);
    relay.release();
  });
});

describe("the backoff schedule", () => {
  it("starts at 5 s and doubles to 5 min, within ±20% jitter", () => {
    for (const random of [0, 0.5, 0.999]) {
      const factor = 0.8 + 0.4 * random;
      expect(refresh.backoffMs(1, random)).toBe(Math.round(5_000 * factor));
      expect(refresh.backoffMs(2, random)).toBe(Math.round(10_000 * factor));
      expect(refresh.backoffMs(6, random)).toBe(Math.round(160_000 * factor));
      expect(refresh.backoffMs(7, random)).toBeLessThanOrEqual(300_000);
      expect(refresh.backoffMs(500, random)).toBeLessThanOrEqual(300_000);
      expect(refresh.backoffMs(500, random)).toBeGreaterThanOrEqual(240_000);
    }
  });
});
