import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type * as Visibility from "@/lib/server/auth/visibility";
import type * as PipelineVisibility from "@/lib/server/pipelines/visibility";
import type * as SourceConnections from "@/lib/server/sync/store/source-connections";
import type * as RepositoryOverview from "@/lib/server/pipelines/get-repository-overview";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// Repository identity end to end: the GitHub stand-in over HTTP (real tokens, its renames, transfers,
// deletions and 301s), the real access refresh and the one visibility rule on a real Postgres. A pipeline's
// repository is the GitHub id its name was first seen with; readers are matched on that id.
const TTL_S = 300;
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let visibility: typeof Visibility;
let pipelines: typeof PipelineVisibility;
let sources: typeof SourceConnections;
let overview: typeof RepositoryOverview;
let seal: Parameters<typeof createSignedInUser>[2];
const users: Record<string, string> = {};
let clock = Date.now();

/** A fresh viewer: the clock is moved past the TTL first, so their list is fetched from GitHub again. */
async function viewerOf(login: string) {
  clock += (TTL_S + 1) * 1000;
  const viewer = await visibility.loadViewer(database.db, users[login] ?? "", clock);
  if (!viewer || viewer.accessError) throw new Error(`no viewer for ${login}: ${viewer?.accessError}`);
  return viewer;
}

async function signIn(login: string) {
  const token = await standInToken(standIn.url, login);
  users[login] = await createSignedInUser(
    database.db,
    { login, githubId: await standInAccountId(standIn.url, login), token },
    seal,
  );
}

/** A live pipeline whose source names `fullName`, mapped as discovery maps it. */
async function pipelineOf(fullName: string): Promise<string> {
  const [owner = "", name = ""] = fullName.split("/");
  const repository = await sources.ensureRepository(database.db, fullName, owner, name);
  const pipeline = await database.db.pipeline.create({
    data: { targetId: "t", name: `${name}-${randomBytes(3).toString("hex")}`, version: 1, repositoryId: repository.id },
  });
  return pipeline.id;
}

/** Whether the viewer sees the pipeline, by both forms of the rule (one row by id, and the SQL over all). */
async function sees(viewer: Visibility.Viewer, pipelineId: string): Promise<boolean> {
  const one = (await pipelines.findVisiblePipeline(database.db, viewer, pipelineId)) !== null;
  const [row] = await database.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId"
    WHERE p.id = ${pipelineId} AND ${pipelines.visiblePipelinesSql(viewer)}`;
  const all = Number(row?.n) === 1;
  expect(all, "the SQL rule and the one-row rule agree").toBe(one);
  return one;
}

const repositoryRow = (fullName: string) =>
  database.db.repository.findUniqueOrThrow({
    where: { fullName },
    select: { githubId: true, githubIdSource: true, githubFullName: true },
  });
const idOf = async (fullName: string) =>
  BigInt((await standInControl<{ ids: Record<string, number> }>(standIn.url, "repositories")).ids[fullName] ?? 0);

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    port: 0,
    repositories: ["acme/web-app", "acme/api", "globex/storefront", "globex/inventory"],
  });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("REPOSITORY_CACHE_TTL_SECONDS", String(TTL_S));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  visibility = await import("@/lib/server/auth/visibility");
  pipelines = await import("@/lib/server/pipelines/visibility");
  sources = await import("@/lib/server/sync/store/source-connections");
  overview = await import("@/lib/server/pipelines/get-repository-overview");
  seal = (await import("@/lib/server/auth/adapter")).sealToken;
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  await database.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  for (const login of ["ada", "grace", "linus"]) await signIn(login);
});

afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});

describe("repository ids", () => {
  it("are stored for every repository in a user's list, as 64-bit integers", async () => {
    await viewerOf("ada");
    const rows = await database.db.userRepository.findMany({
      where: { userId: users.ada },
      orderBy: { fullName: "asc" },
    });
    expect(rows.map((r) => [r.fullName, r.githubId])).toEqual([
      ["acme/api", await idOf("acme/api")],
      ["acme/web-app", await idOf("acme/web-app")],
      ["globex/inventory", await idOf("globex/inventory")],
      ["globex/storefront", await idOf("globex/storefront")],
    ]);
    expect(typeof rows[0]?.githubId).toBe("bigint");
  });

  it("pin a pipeline's repository from the first signed-in user's list that names it, recorded as such", async () => {
    const web = await pipelineOf("acme/web-app");
    // Ada's list (fetched above, within the TTL) names it: the new row is pinned as it is created.
    expect(await repositoryRow("acme/web-app")).toEqual({
      githubId: await idOf("acme/web-app"),
      githubIdSource: "user-repository-list",
      githubFullName: "acme/web-app",
    });
    expect(await sees(await viewerOf("linus"), web)).toBe(true);
    expect(await sees(await viewerOf("grace"), web)).toBe(false);
  });

  it("leave a repository nobody's list names unpinned, and its pipelines visible to nobody, administrators included", async () => {
    const hidden = await pipelineOf("initech/nowhere");
    expect((await repositoryRow("initech/nowhere")).githubId).toBeNull();
    const ada = await viewerOf("ada");
    expect(await sees({ ...ada, isAdmin: true }, hidden)).toBe(false);
  });

  it("pin at the next refresh a repository created before anyone who can read it signed in again", async () => {
    // Linus's list is older than the TTL by now, Ada cannot be asked: only a fresh list pins.
    clock += (TTL_S + 1) * 1000;
    await database.db.user.updateMany({ data: { reposFetchedAt: new Date(Date.now() - (TTL_S + 1) * 1000) } });
    const inventory = await pipelineOf("globex/inventory");
    expect((await repositoryRow("globex/inventory")).githubId).toBeNull();
    expect(await sees(await viewerOf("grace"), inventory)).toBe(true);
    expect(await repositoryRow("globex/inventory")).toMatchObject({
      githubId: await idOf("globex/inventory"),
      githubIdSource: "user-repository-list",
    });
  });
});

describe("renames and transfers", () => {
  it("keep a renamed repository's readers, and show it by its new name", async () => {
    const web = await pipelineOf("acme/web-app");
    const id = await idOf("acme/web-app");
    await standInControl(standIn.url, "repositories/move", { repository: "acme/web-app", to: "acme/site" });
    const linus = await viewerOf("linus");
    expect([...linus.repositories.keys()]).toEqual(["acme/site"]);
    expect(await sees(linus, web)).toBe(true);
    // The pin stays on the id; the name GitHub gives it now is followed.
    expect(await repositoryRow("acme/web-app")).toMatchObject({ githubId: id, githubFullName: "acme/site" });
    expect((await pipelines.findVisiblePipeline(database.db, linus, web))?.repository).toBe("acme/site");
    const page = await overview.getRepositoryOverview(linus, "acme/site", { db: database.db });
    expect(page?.pipelines.map((p) => p.id)).toContain(web);
  });

  it("follow a transfer to another owner: its readers there see the pipeline, the old owner's lose it", async () => {
    const storefront = await pipelineOf("globex/storefront");
    await standInControl(standIn.url, "repositories/move", {
      repository: "globex/storefront",
      to: "initech/storefront",
    });
    // Grace reads initech/* (and writes globex/*); Ada read globex/* but reaches nothing at initech.
    expect(await sees(await viewerOf("grace"), storefront)).toBe(true);
    expect(await sees(await viewerOf("ada"), storefront)).toBe(false);
    expect((await repositoryRow("globex/storefront")).githubFullName).toBe("initech/storefront");
  });

  it("pin a name renamed before it was pinned through GitHub's 301 for the old name", async () => {
    await standInControl(standIn.url, "repositories", { repositories: ["globex/legacy"] });
    const id = await idOf("globex/legacy");
    await standInControl(standIn.url, "repositories/move", { repository: "globex/legacy", to: "globex/modern" });
    // The pipeline still names the old repository; no list shows that name any more.
    const legacy = await pipelineOf("globex/legacy");
    expect((await repositoryRow("globex/legacy")).githubId).toBeNull();
    const grace = await viewerOf("grace");
    expect(await repositoryRow("globex/legacy")).toEqual({
      githubId: id,
      githubIdSource: "rename-redirect",
      githubFullName: "globex/modern",
    });
    // Pinned during Grace's refresh, so the view that refresh produced already shows it.
    expect(await sees(grace, legacy)).toBe(true);
    expect(await sees(await viewerOf("linus"), legacy)).toBe(false);
  });
});

describe("a name deleted and registered again", () => {
  it("inherits nothing: the new repository's readers do not see the old one's pipelines", async () => {
    const api = await pipelineOf("acme/api");
    const first = await idOf("acme/api");
    expect(await sees(await viewerOf("ada"), api)).toBe(true);

    await standInControl(standIn.url, "repositories/delete", { repository: "acme/api" });
    await standInControl(standIn.url, "repositories", { repositories: ["acme/api"] });
    const second = await idOf("acme/api");
    expect(second).not.toBe(first);
    await standInControl(standIn.url, "grants", { login: "linus", repository: "acme/api", permission: "read" });

    // Linus and Ada can read a repository called acme/api, but it is not the one the pipeline delivered.
    const linus = await viewerOf("linus");
    expect(linus.repositoryIds.get("acme/api")).toBe(second);
    expect(await sees(linus, api)).toBe(false);
    expect(await sees(await viewerOf("ada"), api)).toBe(false);
    expect(await overview.getRepositoryOverview(linus, "acme/api", { db: database.db })).toMatchObject({
      pipelines: [],
    });
    expect((await repositoryRow("acme/api")).githubId).toBe(first);
    // A pipeline discovered now under that name is the same row: still the first repository's.
    const later = await pipelineOf("acme/api");
    expect(await sees(linus, later)).toBe(false);
  });
});

describe("lists cached before ids were stored", () => {
  it("are refreshed before use instead of granting by name", async () => {
    const ada = await viewerOf("ada");
    await database.db.userRepository.updateMany({ where: { userId: users.ada }, data: { githubId: null } });
    await database.db.user.update({ where: { id: users.ada }, data: { reposFetchedAt: new Date(clock) } });
    const fetchedBefore = ada.fetchedAt?.getTime() ?? 0;
    const again = await visibility.loadViewer(database.db, users.ada ?? "", clock);
    expect(again?.fetchedAt?.getTime()).toBeGreaterThan(fetchedBefore);
    const rows = await database.db.userRepository.findMany({ where: { userId: users.ada } });
    expect(rows.every((r) => r.githubId !== null)).toBe(true);
  });
});
