import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type * as Visibility from "@/lib/server/auth/visibility";
import type * as Overview from "@/lib/server/pipelines/get-overview";
import type { SyncEngineOptions } from "./engine";
import type { Fixture } from "../testing/fixture";

// The demo as `npm start` wires it: the sandbox's fleet (GitHub v1 sources among its connection sources)
// synced against the GitHub stand-in, which the launcher declares to play github.com, and people signed in
// on the stand-in. Its v1-sourced pipelines must show under their repositories, to those who can read them.
// App modules are imported once the environment points at the stand-in: configuration is read at import.
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let f: Fixture;
let visibility: typeof Visibility;
let overview: typeof Overview;
let demo: Partial<SyncEngineOptions>;
const users: Record<string, string> = {};

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("GITHUB_COM_STAND_IN_URL", standIn.url);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_ADMINS", "ada");
  const { createFixture, TEST_SETTINGS } = await import("../testing/fixture");
  visibility = await import("@/lib/server/auth/visibility");
  overview = await import("@/lib/server/pipelines/get-overview");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  f = await createFixture({ pipelines: 12, historyDays: 1, githubUrl: standIn.url });
  // As the launcher does: the stand-in holds the fleet's repositories.
  const fleet = (await f.control("repositories")) as { repositories: string[] };
  await standInControl(standIn.url, "repositories", { repositories: fleet.repositories });
  demo = { settings: { ...TEST_SETTINGS, githubUrl: standIn.url, githubComStandInUrl: standIn.url } };
  await f.drain(demo);
  for (const login of ["ada", "linus"]) {
    const token = await standInToken(standIn.url, login);
    const githubId = await standInAccountId(standIn.url, login);
    users[login] = await createSignedInUser(f.database.db, { login, githubId, token }, sealToken);
  }
});

afterAll(async () => {
  await f?.close();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

async function groupsOf(login: string) {
  const viewer = await visibility.loadViewer(f.database.db, users[login] ?? "");
  if (!viewer) throw new Error(`no viewer for ${login}`);
  const { attention, rest } = await overview.getOverview(viewer, { all: "1" }, { db: f.database.db });
  // Keyed by repository; "null" holds the unmapped pipelines (administrators only).
  const groups: Record<string, string[]> = {};
  for (const group of [...attention, ...rest])
    groups[String(group.fullName)] = group.pipelines.map((p) => p.name).sort();
  return { viewer, groups };
}

describe("the demo fleet on the GitHub stand-in", () => {
  it("shows GitHub v1-sourced pipelines under their repositories, to their readers only", async () => {
    const ada = await groupsOf("ada");
    expect(ada.viewer.isAdmin).toBe(true);
    expect(ada.groups["acme/api"]).toEqual(expect.arrayContaining(["api-prod", "api-staging"]));
    // Connection-sourced ones too (their connections are on the stand-in's host).
    expect(ada.groups["acme/web-app"]?.length).toBeGreaterThan(0);
    // Ada administers: the fleet's S3 and CodeCommit pipelines are hers to see, unmapped.
    expect(ada.groups.null).toContain("legacy-batch-jobs");
    const linus = await groupsOf("linus");
    expect(linus.viewer.isAdmin).toBe(false);
    expect(Object.keys(linus.groups)).toEqual(["acme/web-app"]);
    const api = await f.database.db.pipeline.findFirstOrThrow({
      where: { name: "api-prod" },
      include: { repository: true },
    });
    expect(api.repository).toMatchObject({ fullName: "acme/api", githubIdSource: "user-repository-list" });
  });
});
