import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as CommitAuthors from "./commit-authors";

// Several people deciding one approval at once each resolve its change the first time: every one of them
// gets the commits, none fails on the row another one stored first (real Postgres, the GitHub stand-in).
const REPOSITORY = "acme/web-app";

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let authors: typeof CommitAuthors;
let userId = "";
let pipelineId = "";
let head = "";

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  authors = await import("./commit-authors");
  database = await createTestDatabase();
  const githubId = await standInAccountId(standIn.url, "ada");
  userId = await createSignedInUser(
    database.db,
    { login: "ada", githubId, token: await standInToken(standIn.url, "ada") },
    sealToken,
  );
  const { commits } = await standInControl<{ commits: string[] }>(standIn.url, "commits", {
    repository: REPOSITORY,
    commits: [{ message: "Ship it", author: { name: "Jo Example", email: "jo@elsewhere.example" } }],
  });
  head = commits[0] ?? "";
  await database.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  pipelineId = (await database.db.pipeline.create({ data: { targetId: "t", name: "web-app", version: 1 } })).id;
  const at = new Date(Date.UTC(2026, 0, 10, 9, 0));
  await database.db.execution.create({
    data: {
      pipelineId,
      executionId: "exec-1",
      status: "InProgress",
      startTime: at,
      lastUpdateTime: at,
      commitSha: head,
    },
  });
});

afterAll(async () => {
  await database?.drop();
  await standIn?.stop();
  vi.unstubAllEnvs();
});

describe("resolveChange", () => {
  it("gives every one of many concurrent first readers the change, stored once", async () => {
    const scope = { pipelineId, executionId: "exec-1", stageName: "Approval" };
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => authors.resolveChange(database.db, scope, REPOSITORY, userId)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    for (const result of results) {
      expect(result.status === "fulfilled" && result.value?.commits.map((c) => c.sha)).toEqual([head]);
    }
    expect(await database.db.executionCommits.count({ where: scope })).toBe(1);
  });
});
