import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import type * as DbClient from "@/lib/server/db/client";
import type * as Logger from "@/lib/server/logger";
import { standInControl } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as Api from "./index";

// Stageboard as a GitHub App configured by GITHUB_APP_*, against the GitHub stand-in (which verifies App JWTs,
// issues installation tokens and counts every request) and a real PostgreSQL for the installations cache.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 310001;
const ACME = 510001;
const GLOBEX = 510002;
const INITECH = 510003;

let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let api: typeof Api;
let logger: typeof Logger.logger;

type Counts = { routes: Record<string, number> };
const routeCount = async (route: string) => (await standInControl<Counts>(standIn.url, "requests")).routes[route] ?? 0;
const resetCounts = () => standInControl(standIn.url, "requests/reset", {});
const TOKENS = "POST /app/installations/{installation_id}/access_tokens";
const LOOKUP = "GET /repos/{owner}/{repo}/installation";
const STATUSES = "POST /repos/{owner}/{repo}/statuses/{sha}";

async function client(repository: string, mode?: "background" | "interactive") {
  const found = await api.installationClient(repository, { mode });
  if (found.kind !== "installed") throw new Error(`${repository}: ${found.kind}`);
  return found;
}

beforeAll(async () => {
  const started = await startAppStandIn({
    id: APP_ID,
    name: "Stageboard (test)",
    slug: "stageboard-test",
    installations: [
      { id: ACME, account: "acme" },
      { id: GLOBEX, account: "globex", repositories: ["storefront"] },
      { id: INITECH, account: "initech" },
    ],
  });
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  api = await import("./index");
  logger = (await import("@/lib/server/logger")).logger;
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  await standInControl(standIn.url, "faults", { clear: true });
  await resetCounts();
});

describe("the App configured by GITHUB_APP_*", () => {
  it("authenticates as the App with a JWT the stand-in verifies: GET /app answers this App", async () => {
    const app = await api.githubApp();
    expect(app).toMatchObject({ appId: APP_ID, source: "environment", webhookSecret: "test-webhook-secret" });
    const { data } = await app!.octokit().request("GET /app");
    expect(data).toMatchObject({ id: APP_ID, slug: "stageboard-test", permissions: { checks: "write" } });
  });
});

describe("finding a repository's installation", () => {
  it("asks GitHub once, then answers from PostgreSQL with the account, selection and permissions", async () => {
    expect(await client("acme/web-app")).toMatchObject({ installationId: ACME, repository: "acme/web-app" });
    expect(await client("acme/web-app")).toMatchObject({ installationId: ACME });
    expect(await routeCount(LOOKUP)).toBe(1);
    const row = await database.db.gitHubAppInstallation.findUnique({ where: { id: BigInt(ACME) } });
    expect(row).toMatchObject({ accountLogin: "acme", accountType: "Organization", repositorySelection: "all" });
    expect(row?.permissions).toEqual(["checks:write", "deployments:write", "metadata:read", "statuses:write"]);
  });

  it("asks again once the cached answer is older than an hour", async () => {
    await client("acme/web-app");
    await database.db.gitHubAppRepository.updateMany({
      where: { fullName: "acme/web-app" },
      data: { checkedAt: new Date(Date.now() - 61 * 60 * 1000) },
    });
    await client("acme/web-app");
    await client("acme/web-app");
    expect(await routeCount(LOOKUP)).toBe(1);
  });

  it("says the App is not installed on a repository outside its installations, and does not ask again at once", async () => {
    const found = await api.installationClient("globex/inventory");
    expect(found).toEqual({
      kind: "not-installed",
      repository: "globex/inventory",
      message: "The GitHub App is not installed on globex/inventory",
    });
    expect(await api.installationClient("globex/inventory")).toMatchObject({ kind: "not-installed" });
    expect(await routeCount(LOOKUP)).toBe(1);
    expect(await api.installationClient("globex/storefront")).toMatchObject({
      kind: "installed",
      installationId: GLOBEX,
    });
  });
});

describe("installation tokens", () => {
  it("are asked for once per installation and shared by every client of it, interactive or background", async () => {
    const first = await client("acme/web-app");
    await first.octokit.request("GET /installation/repositories");
    await first.octokit.request("GET /installation/repositories");
    const other = await client("acme/api", "background");
    const { data } = await other.octokit.request("GET /installation/repositories");
    expect(data.repositories.map((r) => r.full_name)).toContain("acme/api");
    expect(await routeCount(TOKENS)).toBe(1);
    expect(await routeCount("GET /installation/repositories")).toBe(3);
  });
});

describe("GitHub's limits", () => {
  const sha = "a".repeat(40);
  const report = (octokit: Awaited<ReturnType<typeof client>>["octokit"]) =>
    octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
      owner: "acme",
      repo: "web-app",
      sha,
      state: "success",
      context: "stageboard/test",
    });

  it("a secondary limit is waited out for its retry-after, with one log line, and the write then succeeds", async () => {
    const warn = vi.spyOn(logger, "warn");
    await standInControl(standIn.url, "faults", { secondaryLimit: { count: 1, retryAfter: 1 } });
    const response = await report((await client("acme/web-app", "background")).octokit);
    expect(response.status).toBe(201);
    expect(await routeCount(STATUSES)).toBe(2);
    const waits = warn.mock.calls.filter(([, message]) => message === "GitHub rate limit: waiting before retrying");
    expect(waits).toHaveLength(1);
    expect(waits[0]?.[0]).toMatchObject({
      limit: "secondary",
      waitSeconds: 1,
      route: "/repos/{owner}/{repo}/statuses/{sha}",
    });
    warn.mockRestore();
  });

  it("a secondary limit that does not lift is retried a bounded number of times, then GitHub's answer is thrown", async () => {
    await standInControl(standIn.url, "faults", { secondaryLimit: { count: 10, retryAfter: 1 } });
    await expect(report((await client("acme/web-app", "background")).octokit)).rejects.toMatchObject({ status: 403 });
    expect(await routeCount(STATUSES)).toBe(4);
  });
});

describe("an App no longer installed", () => {
  it("is forgotten when GitHub refuses a new token for the installation, and the repository then reads as not installed", async () => {
    await client("initech/tps-reports");
    await standInControl(standIn.url, "installations/delete", { installation: INITECH });
    // Still cached: the client is handed out, and its first request learns the truth.
    const stale = await client("initech/tps-reports");
    await expect(stale.octokit.request("GET /installation/repositories")).rejects.toMatchObject({ status: 404 });
    expect(await database.db.gitHubAppInstallation.findUnique({ where: { id: BigInt(INITECH) } })).toBeNull();
    expect(await api.installationClient("initech/tps-reports")).toMatchObject({ kind: "not-installed" });
  });

  it("a refused token makes every repository of the installation asked about again", async () => {
    const storefront = await client("globex/storefront");
    await storefront.octokit.request("GET /installation/repositories");
    await standInControl(standIn.url, "installations/delete", { installation: GLOBEX });
    await expect(storefront.octokit.request("GET /installation/repositories")).rejects.toMatchObject({ status: 401 });
    const row = await database.db.gitHubAppInstallation.findUnique({ where: { id: BigInt(GLOBEX) } });
    expect(row?.fetchedAt.getTime()).toBe(0);
    await resetCounts();
    expect(await api.installationClient("globex/storefront")).toMatchObject({ kind: "not-installed" });
    expect(await routeCount(LOOKUP)).toBe(1);
  });
});
