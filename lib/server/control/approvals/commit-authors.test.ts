import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import { startGitHubRelay, type GitHubRelay } from "@/lib/server/testing/github-relay";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as CommitAuthors from "./commit-authors";

// The commits of a change, read from the GitHub stand-in's compare over HTTP (behind a relay that counts the
// requests) into a real Postgres: every page up to the cap, the full count kept beside them, read once.
const REPOSITORY = "acme/web-app";
const COMPARE = `/api/v3/repos/${REPOSITORY}/compare/`;
const ADA = { name: "Ada Lovelace", email: "ada@example.com" };
const STRANGER = { name: "Jo Example", email: "jo@elsewhere.example" };

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let relay: GitHubRelay;
let database: TestDatabase;
let authors: typeof CommitAuthors;
let userId = "";
let adaId = 0n;
let pipelineId = "";
/** The commits after the base, oldest first. */
let change: string[] = [];

const register = async (commits: { message: string; author: typeof ADA }[]) =>
  (await standInControl<{ commits: string[] }>(standIn.url, "commits", { repository: REPOSITORY, commits })).commits;

/** An execution of the pipeline at `sha`; `passed` marks its Approval stage as succeeded. */
async function execution(executionId: string, sha: string, minute: number, passed = false) {
  const at = new Date(Date.UTC(2026, 0, 10, 9, minute));
  const row = await database.db.execution.create({
    data: { pipelineId, executionId, status: "InProgress", startTime: at, lastUpdateTime: at, commitSha: sha },
  });
  if (passed)
    await database.db.stageExecution.create({
      data: { executionId: row.id, stageName: "Approval", status: "Succeeded" },
    });
  return { pipelineId, executionId, stageName: "Approval" };
}

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  relay = await startGitHubRelay(standIn.url);
  vi.stubEnv("GITHUB_URL", relay.url);
  vi.stubEnv("GITHUB_API_URL", `${relay.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  authors = await import("./commit-authors");
  database = await createTestDatabase();
  const githubId = await standInAccountId(standIn.url, "ada");
  adaId = BigInt(githubId);
  userId = await createSignedInUser(
    database.db,
    { login: "ada", githubId, token: await standInToken(standIn.url, "ada") },
    sealToken,
  );
  // One commit in seven is Ada's; the rest are by someone without a GitHub account.
  const [base = ""] = await register([{ message: "Base", author: STRANGER }]);
  change = await register(
    Array.from({ length: 1_234 }, (_, i) => ({ message: `Change ${i}`, author: i % 7 === 3 ? ADA : STRANGER })),
  );
  await database.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  pipelineId = (await database.db.pipeline.create({ data: { targetId: "t", name: "web-app", version: 1 } })).id;
  await execution("exec-base", base, 0, true);
});

afterAll(async () => {
  await database?.drop();
  await relay?.stop();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

describe("the commits of a change", () => {
  it("reads every page of a comparison longer than one, with each commit's author, and only once", async () => {
    const scope = await execution("exec-150", change[149] ?? "", 10);
    const before = relay.requests(COMPARE);
    const resolved = await authors.resolveChange(database.db, scope, REPOSITORY, userId);
    expect(relay.requests(COMPARE)).toBe(before + 2);
    expect(resolved?.totalCommits).toBe(150);
    expect(resolved?.commits.map((c) => c.sha)).toEqual(change.slice(0, 150));
    const own = resolved?.commits.filter((c) => c.authorGithubId === adaId).map((c) => c.sha);
    expect(own).toEqual(change.slice(0, 150).filter((_, i) => i % 7 === 3));
    expect(resolved?.commits[0]).toMatchObject({ authorLogin: null, authorName: "Jo Example", authorGithubId: null });

    const again = await authors.resolveChange(database.db, scope, REPOSITORY, userId);
    expect(relay.requests(COMPARE)).toBe(before + 2);
    expect(again).toEqual(resolved);
  });

  it("stops at 1,000 commits and keeps how many the change has in all", async () => {
    const scope = await execution("exec-all", change[change.length - 1] ?? "", 20);
    const before = relay.requests(COMPARE);
    const resolved = await authors.resolveChange(database.db, scope, REPOSITORY, userId);
    expect(relay.requests(COMPARE)).toBe(before + 10);
    expect(resolved?.commits.map((c) => c.sha)).toEqual(change.slice(0, 1_000));
    expect(resolved?.totalCommits).toBe(1_234);
    // The cached change (what lists and advisory rights read) says the same.
    expect(await authors.cachedChange(database.db, scope, REPOSITORY)).toMatchObject({ totalCommits: 1_234 });
    const row = await database.db.executionCommits.findUniqueOrThrow({
      where: { pipelineId_executionId_stageName: scope },
    });
    expect(row.commits).toMatchObject({ v: 2, totalCommits: 1_234 });
  });

  it("reads a change stored before the count was kept as every commit it holds", async () => {
    const scope = await execution("exec-v1", change[2] ?? "", 30);
    const commit = { message: "m", url: null, authorLogin: "ada", authorName: "Ada", authorGithubId: String(adaId) };
    await database.db.executionCommits.create({
      data: {
        ...scope,
        baseSha: null,
        headSha: change[2] ?? "",
        commits: {
          v: 1,
          commits: [
            { sha: "abc1234aaaa", ...commit },
            { sha: "abc1234bbbb", ...commit },
          ],
        },
      },
    });
    const before = relay.requests(COMPARE);
    const stored = await authors.resolveChange(database.db, scope, REPOSITORY, userId);
    expect(relay.requests(COMPARE)).toBe(before);
    expect(stored).toMatchObject({ totalCommits: 2, commits: [{ authorGithubId: adaId }, { sha: "abc1234bbbb" }] });
  });
});
