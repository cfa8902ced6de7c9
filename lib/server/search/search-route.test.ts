import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import type * as DbModule from "@/lib/server/db/client";
import type * as StoreModule from "@/lib/server/rate-limit/store";
import type { Viewer } from "@/lib/server/session";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import type { CommitMatch } from "./place-commits";

// GET /api/search/commits as Next calls it, against a real Postgres with the migrations applied (the pull
// request index included). The viewer is stubbed (there is no cookie store outside a request); what they
// may see is decided by the same SQL rule as the overview, by GitHub repository id.
const state = vi.hoisted(() => ({ viewer: null as Viewer | null, db: null as Db | null }));
vi.mock("@/lib/server/session", () => ({ getViewer: () => Promise.resolve(state.viewer) }));
vi.mock("@/lib/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof DbModule>();
  return {
    ...original,
    get db() {
      return state.db ?? original.db;
    },
  };
});
vi.mock("@/lib/server/rate-limit/store", async (importOriginal) => ({
  ...(await importOriginal<typeof StoreModule>()),
  appRateLimits: () => ({ consume: () => Promise.resolve({ kind: "allowed" }) }),
}));

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Body = {
  data?: { query: unknown; commits: CommitMatch[]; truncated: boolean };
  error?: { code: string; message: string };
};

const NOW = new Date("2026-06-01T12:00:00Z");
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);
const IDS: Record<string, bigint> = { "acme/web": 101n, "acme/api": 102n, "other/secret": 103n };
const viewer = (repos: Record<string, bigint>, isAdmin = false): Viewer => ({
  userId: "u1",
  login: "someone",
  name: null,
  image: null,
  isAdmin,
  fetchedAt: NOW,
  accessError: null,
  repositories: new Map(Object.keys(repos).map((r) => [r, "read" as const])),
  repositoryIds: new Map(Object.entries(repos)),
});
const ada = viewer({ "acme/web": 101n, "acme/api": 102n });
const linus = viewer({ "acme/api": 102n });
/** A list naming acme/web under another id: the name was deleted and registered again by someone else. */
const impostor = viewer({ "acme/web": 999n });

const sha = (head: string) => head.padEnd(40, "0");
const COMMIT_A = sha("abcd1111");
const COMMIT_B = sha("abcd2222");
const COMMIT_SECRET = sha("abcd3333");
const COMMIT_DELETED = sha("abcd4444");

let tdb: TestDatabase;
let route: { GET: Handler };

const stageOf = (name: string, executionId: string, status: string) => ({
  name,
  latestExecution: { executionId, status, type: null },
  inboundTransition: null,
  inboundExecutions: [],
  actions: [],
  conditions: [],
  retry: null,
});

async function pipeline(
  db: Db,
  input: {
    name: string;
    repository: string;
    stages: string[];
    snapshot: [string, string, string][];
    deleted?: boolean;
  },
) {
  const repository = await db.repository.upsert({
    where: { fullName: input.repository },
    create: {
      fullName: input.repository,
      owner: input.repository.split("/")[0] ?? "",
      name: input.repository.split("/")[1] ?? "",
      githubId: IDS[input.repository],
    },
    update: {},
  });
  const snapshot: PipelineStateSnapshot = {
    pipelineVersion: 1,
    created: null,
    updated: null,
    stages: input.snapshot.map(([stage, executionId, status]) => stageOf(stage, executionId, status)),
  };
  const p = await db.pipeline.create({
    data: {
      targetId: "t1",
      name: input.name,
      repositoryId: repository.id,
      version: 1,
      state: snapshot as unknown as Prisma.InputJsonValue,
      deletedAt: input.deleted ? NOW : null,
    },
  });
  for (const [position, name] of input.stages.entries())
    await db.stage.create({ data: { pipelineId: p.id, name, position } });
  return p.id;
}

async function execution(
  db: Db,
  pipelineId: string,
  input: { executionId: string; sha: string; status: string; at: number; message?: string; stages: [string, string][] },
) {
  await db.execution.create({
    data: {
      pipelineId,
      executionId: input.executionId,
      status: input.status,
      startTime: minutes(input.at),
      lastUpdateTime: minutes(input.at + 3),
      commitSha: input.sha,
      commitMessage: input.message ?? `change ${input.executionId}\n\nbody`,
      commitUrl: `https://github.com/acme/web/commit/${input.sha}`,
      branch: "main",
      triggerType: "Webhook",
      stageExecutions: {
        create: input.stages.map(([stageName, status]) => ({ stageName, status, startTime: minutes(input.at) })),
      },
    },
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  state.db = tdb.db;
  const db = tdb.db;
  await db.target.create({ data: { id: "t1", accountId: "111111111111", region: "eu-west-1", lastSuccessAt: NOW } });
  const web = await pipeline(db, {
    name: "web-main",
    repository: "acme/web",
    stages: ["Source", "Build", "Staging", "Production"],
    // B is the newest and failed in Build; Staging and Production still run A.
    snapshot: [
      ["Source", "w-2", "Succeeded"],
      ["Build", "w-2", "Failed"],
      ["Staging", "w-1", "Succeeded"],
      ["Production", "w-1", "Succeeded"],
    ],
  });
  await execution(db, web, {
    executionId: "w-1",
    sha: COMMIT_A,
    status: "Succeeded",
    at: -60,
    message: "Merge pull request #482 from acme/feature/payments\n\nRetry card payments",
    stages: [
      ["Source", "Succeeded"],
      ["Build", "Succeeded"],
      ["Staging", "Succeeded"],
      ["Production", "Succeeded"],
    ],
  });
  await execution(db, web, {
    executionId: "w-2",
    sha: COMMIT_B,
    status: "Failed",
    at: -10,
    message: "Follow-up, see #482",
    stages: [
      ["Source", "Succeeded"],
      ["Build", "Failed"],
    ],
  });
  // The repository's admins said where Production deploys.
  await db.writebackEnvironment.create({
    data: {
      repositoryGithubId: 101n,
      pipelineId: web,
      stageName: "Production",
      environment: "prod-eu",
      production: true,
      updatedByLogin: "ada",
    },
  });
  const api = await pipeline(db, {
    name: "api-main",
    repository: "acme/api",
    stages: ["Source", "Deploy-Staging"],
    snapshot: [
      ["Source", "a-1", "Succeeded"],
      ["Deploy-Staging", "a-1", "InProgress"],
    ],
  });
  await execution(db, api, {
    executionId: "a-1",
    sha: COMMIT_A,
    status: "InProgress",
    at: -5,
    message: "Retry card payments (#77)",
    stages: [
      ["Source", "Succeeded"],
      ["Deploy-Staging", "InProgress"],
    ],
  });
  const secret = await pipeline(db, {
    name: "secret-main",
    repository: "other/secret",
    stages: ["Source"],
    snapshot: [["Source", "s-1", "Succeeded"]],
  });
  await execution(db, secret, {
    executionId: "s-1",
    sha: COMMIT_SECRET,
    status: "Succeeded",
    at: -1,
    message: "Merge pull request #482 from other/secret-branch",
    stages: [["Source", "Succeeded"]],
  });
  const gone = await pipeline(db, {
    name: "web-old",
    repository: "acme/web",
    stages: ["Source"],
    snapshot: [["Source", "o-1", "Succeeded"]],
    deleted: true,
  });
  await execution(db, gone, { executionId: "o-1", sha: COMMIT_DELETED, status: "Succeeded", at: -2, stages: [] });
  route = await import("@/app/api/search/commits/route");
});
afterAll(async () => tdb?.drop());

async function search(who: Viewer | null, q: string | null) {
  state.viewer = who;
  const url = new URL("http://localhost:3000/api/search/commits");
  if (q !== null) url.searchParams.set("q", q);
  const response = await route.GET(new Request(url), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Body };
}

describe("GET /api/search/commits", () => {
  it("finds a full SHA in every visible pipeline, how far each execution got, and where it runs now", async () => {
    const { status, body } = await search(ada, COMMIT_A.toUpperCase());
    expect(status).toBe(200);
    expect(body.data?.commits).toHaveLength(1);
    const [commit] = body.data?.commits ?? [];
    expect(commit?.sha).toBe(COMMIT_A);
    // Newest first: the api execution started after the web one.
    expect(
      commit?.executions.map((e) => [e.pipeline.name, e.executionId, e.status, e.reached?.stage, e.reached?.number]),
    ).toEqual([
      ["api-main", "a-1", "InProgress", "Deploy-Staging", 2],
      ["web-main", "w-1", "Succeeded", "Production", 4],
    ]);
    expect(commit?.executions[1]?.reached).toMatchObject({ status: "Succeeded", of: 4 });
    expect(commit?.environments.map((e) => [e.pipeline.name, e.stage, e.status, e.environment, e.production])).toEqual(
      expect.arrayContaining([
        ["web-main", "Staging", "Succeeded", "Staging", false],
        // The write-back mapping wins over the default name.
        ["web-main", "Production", "Succeeded", "prod-eu", true],
        ["api-main", "Source", "Succeeded", null, false],
        ["api-main", "Deploy-Staging", "InProgress", "Deploy-Staging", false],
      ]),
    );
    // Source and Build of web-main run the newer commit B, not A.
    expect(commit?.environments).toHaveLength(4);
  });

  it("answers an ambiguous prefix with each commit it matches, never one the viewer cannot see", async () => {
    const { status, body } = await search(ada, "abcd");
    expect(status).toBe(200);
    expect(body.data?.commits.map((c) => c.sha)).toEqual([COMMIT_A, COMMIT_B]);
    const b = body.data?.commits[1];
    expect(b?.executions.map((e) => [e.executionId, e.reached?.stage, e.reached?.status])).toEqual([
      ["w-2", "Build", "Failed"],
    ]);
    expect(b?.environments.map((e) => e.stage)).toEqual(["Source", "Build"]);
    // A longer prefix is no longer ambiguous.
    expect((await search(ada, "abcd2")).body.data?.commits.map((c) => c.sha)).toEqual([COMMIT_B]);
  });

  it("never shows a viewer another's pipeline: not by SHA, prefix or pull request, nor through a reused name", async () => {
    const own = await search(linus, "abcd");
    expect(own.body.data?.commits.map((c) => [c.sha, c.executions.map((e) => e.pipeline.name)])).toEqual([
      [COMMIT_A, ["api-main"]],
    ]);
    expect(own.body.data?.commits[0]?.environments.map((e) => [e.pipeline.name, e.stage])).toEqual([
      ["api-main", "Source"],
      ["api-main", "Deploy-Staging"],
    ]);
    for (const q of [COMMIT_SECRET, COMMIT_B, "abcd3", "#482"]) {
      const { status, body } = await search(linus, q);
      expect(status, q).toBe(200);
      expect(body.data?.commits, q).toEqual([]);
    }
    expect((await search(impostor, COMMIT_A)).body.data?.commits).toEqual([]);
    expect((await search(ada, COMMIT_SECRET)).body.data?.commits).toEqual([]);
    // The owner of other/secret does see it; a deleted pipeline is nobody's.
    const owner = viewer({ "other/secret": 103n });
    expect((await search(owner, "abcd")).body.data?.commits.map((c) => c.sha)).toEqual([COMMIT_SECRET]);
    expect((await search(viewer(IDS, true), COMMIT_DELETED)).body.data?.commits).toEqual([]);
  });

  it("finds pull requests by the message GitHub writes when merging, not by a mention", async () => {
    const merged = await search(ada, "#482");
    expect(merged.status).toBe(200);
    expect(merged.body.data?.query).toEqual({ kind: "pull-request", number: 482 });
    expect(merged.body.data?.commits.map((c) => c.sha)).toEqual([COMMIT_A]);
    expect(merged.body.data?.commits[0]?.executions.map((e) => e.executionId)).toEqual(["w-1"]);
    const squashed = await search(ada, "https://github.com/acme/api/pull/77");
    expect(squashed.body.data?.commits[0]?.executions.map((e) => e.executionId)).toEqual(["a-1"]);
    expect((await search(ada, "#4821")).body.data?.commits).toEqual([]);
  });

  it("refuses bad input with 400 and a reason, and answers 401 without a session", async () => {
    for (const q of [null, "", "abc", "zzzzzzz", "#0", "a".repeat(65), `${"a".repeat(201)}`, "abcd'; DROP TABLE"]) {
      const { status, body } = await search(ada, q);
      expect(status, String(q)).toBe(400);
      expect(body.error?.code).toBe("bad_request");
      expect(body.error?.message.length).toBeGreaterThan(10);
    }
    const anonymous = await search(null, COMMIT_A);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.data).toBeUndefined();
  });
});
