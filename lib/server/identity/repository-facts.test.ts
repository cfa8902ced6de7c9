import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import type * as Visibility from "@/lib/server/auth/visibility";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// Whether a repository is private, and its default branch, as the access refresh records them from a signed-in
// user's list on the GitHub stand-in (over HTTP, a real token): what badges decide public or keyed by.
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let visibility: typeof Visibility;
let userId: string;

const facts = async () =>
  Object.fromEntries(
    (
      await database.db.repository.findMany({
        select: { fullName: true, private: true, defaultBranch: true },
        orderBy: { fullName: "asc" },
      })
    ).map((r) => [r.fullName, { private: r.private, defaultBranch: r.defaultBranch }]),
  );

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0, repositories: ["acme/web-app", "acme/api", "acme/unlisted"] });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  visibility = await import("@/lib/server/auth/visibility");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  // Repositories pipelines deliver, not pinned yet; ada's list also shows acme/unlisted, which has no row to record on.
  for (const fullName of ["acme/web-app", "acme/api"])
    await database.db.repository.create({ data: { fullName, owner: "acme", name: fullName.split("/")[1] ?? "" } });
  const token = await standInToken(standIn.url, "ada");
  userId = await createSignedInUser(
    database.db,
    { login: "ada", githubId: await standInAccountId(standIn.url, "ada"), token },
    sealToken,
  );
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});

describe("repository facts from GitHub", () => {
  it("are private, with no default branch, until a list has shown the repository", async () => {
    expect(await facts()).toEqual({
      "acme/api": { private: true, defaultBranch: null },
      "acme/web-app": { private: true, defaultBranch: null },
    });
  });

  it("record what the list says: public or private, and the default branch, on the rows the list pins", async () => {
    await standInControl(standIn.url, "repositories", { repositories: ["acme/web-app"], public: true });
    expect((await visibility.refreshAccess(database.db, userId, "ada", { force: true })).kind).toBe("refreshed");
    expect(await facts()).toEqual({
      "acme/api": { private: true, defaultBranch: "main" },
      "acme/web-app": { private: false, defaultBranch: "main" },
    });
  });

  it("follow GitHub when a public repository is made private again", async () => {
    await standInControl(standIn.url, "repositories", { repositories: ["acme/web-app"], public: false });
    expect((await visibility.refreshAccess(database.db, userId, "ada", { force: true })).kind).toBe("refreshed");
    expect((await facts())["acme/web-app"]).toEqual({ private: true, defaultBranch: "main" });
  });
});
