import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningGitHubStandIn } from "@/github-stand-in";
import { startAppStandIn, stubAppEnv } from "@/lib/server/testing/github-app";
import type * as DbClient from "@/lib/server/db/client";
import { standInControl } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as Claims from "@/lib/server/writeback/claim-jobs";
import type * as DeadLetters from "@/lib/server/writeback/dead-letters";
import type * as CheckRuns from "@/lib/server/writeback/github-check-runs";
import type * as Clients from "@/lib/server/writeback/installation-clients";
import type * as Loop from "@/lib/server/writeback/writeback-loop";
import type * as Rows from "@/lib/server/writeback/testing/pipeline-rows";

// GitHub write-back end to end, with nothing replaced: stored changes reach the real change feed (its triggers),
// the outbox consumer turns them into jobs in PostgreSQL, and the queue sends them as a GitHub App installation
// (App JWT, installation token, throttling and retry plugins) to the GitHub stand-in, whose faults lose answers and
// refuse with secondary limits, and whose request counts show what each step cost.
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

const APP_ID = 320001;
const BASE = "https://stageboard.example.com";
const CREATE = "POST /repos/{owner}/{repo}/check-runs";
const UPDATE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";
const LIST = "GET /repos/{owner}/{repo}/commits/{ref}/check-runs";

type StandInRun = {
  id: number;
  sha: string;
  name: string;
  appId: number;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null };
};

let standIn: RunningGitHubStandIn;
let database: TestDatabase;
let loop: typeof Loop;
let rows: typeof Rows;
let claims: typeof Claims;
let checkRuns: typeof CheckRuns;
let clients: typeof Clients;
let deadLetters: typeof DeadLetters;
let shaCounter = 0;

const newSha = () => (++shaCounter).toString(16).padStart(40, "c");
const pass = (now?: () => Date) =>
  loop.writebackOnce({
    db: database.db,
    logger: { warn: () => {}, info: () => {} },
    baseUrl: BASE,
    deliver: now ? { now } : {},
  });
const runsOn = async (sha: string) =>
  (await standInControl<StandInRun[]>(standIn.url, "checks")).filter((r) => r.sha === sha).sort((a, b) => a.id - b.id);
const routes = async () => (await standInControl<{ routes: Record<string, number> }>(standIn.url, "requests")).routes;
const count = async (route: string) => (await routes())[route] ?? 0;
const jobsOn = (sha: string) =>
  database.db.writebackJob.findMany({
    where: { headSha: sha },
    orderBy: { seq: "asc" },
    select: { kind: true, state: true, remoteId: true, attempts: true, lastError: true },
  });
const later = (ms: number) => () => new Date(Date.now() + ms);

beforeAll(async () => {
  const started = await startAppStandIn({
    id: APP_ID,
    name: "Stageboard (write-back test)",
    slug: "stageboard-writeback-test",
    installations: [{ id: 520001, account: "acme" }],
  });
  standIn = started.standIn;
  stubAppEnv(standIn.url, started.app);
  // Check runs alone here (reports.test.ts has statuses and deployments): the request counts below are theirs.
  vi.stubEnv("WRITEBACK_DEPLOYMENTS", "false");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  loop = await import("@/lib/server/writeback/writeback-loop");
  rows = await import("@/lib/server/writeback/testing/pipeline-rows");
  claims = await import("@/lib/server/writeback/claim-jobs");
  checkRuns = await import("@/lib/server/writeback/github-check-runs");
  clients = await import("@/lib/server/writeback/installation-clients");
  deadLetters = await import("@/lib/server/writeback/dead-letters");
  await rows.seedPipeline(database.db, { pipelineId: "p1", repository: "acme/web-app", name: "web-app" });
  // The App is installed on acme only.
  await rows.seedPipeline(database.db, { pipelineId: "p2", repository: "globex/storefront", name: "storefront" });
  await pass();
});
afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  await standInControl(standIn.url, "faults", { clear: true });
  await pass();
  await standInControl(standIn.url, "requests/reset", {});
});

describe("GitHub write-back", () => {
  it("reports an execution's life (started, in progress, approval, succeeded) as one check run and one approval run", async () => {
    const { db } = database;
    const sha = newSha();
    const execution = await rows.startExecution(db, { pipelineId: "p1", sha });
    await pass();
    expect((await runsOn(sha)).map((r) => [r.name, r.status, r.output.title])).toEqual([
      ["CodePipeline · web-app", "in_progress", "Running Source"],
    ]);

    await rows.setStage(db, execution, "Source", "Succeeded", { end: new Date() });
    await rows.setStage(db, execution, "Build", "InProgress");
    await pass();
    // Three changes between two passes are sent as one update, with the latest state only.
    await rows.setStage(db, execution, "Build", "Succeeded", { end: new Date() });
    await rows.setStage(db, execution, "Prod", "InProgress");
    const approval = await rows.requestApproval(db, execution);
    await pass();
    expect((await runsOn(sha)).map((r) => [r.name, r.status, r.conclusion, r.output.title])).toEqual([
      ["CodePipeline · web-app", "in_progress", null, "Waiting for approval at Prod"],
      ["Approval · web-app · Prod", "completed", "action_required", "Waiting for approval at Prod"],
    ]);

    await rows.decideApproval(db, approval.id, { login: "ada", approve: true, comment: "ship it" });
    await rows.setStage(db, execution, "Prod", "Succeeded", { end: new Date() });
    await rows.setExecutionStatus(db, execution, "Succeeded");
    await pass();

    const [run, approvalRun] = await runsOn(sha);
    expect(await runsOn(sha)).toHaveLength(2);
    expect(run).toMatchObject({
      name: "CodePipeline · web-app",
      appId: APP_ID,
      status: "completed",
      conclusion: "success",
      externalId: execution.executionId,
      detailsUrl: `${BASE}/pipelines/p1/executions/${execution.executionId}`,
    });
    expect(run?.output.title).toMatch(/^Succeeded in \d+s$/);
    expect(run?.output.summary).toContain("| Prod | ✅ Succeeded |");
    expect(run?.output.summary).toContain("- **Prod / Approve**: approved by ada: “ship it”");
    expect(approvalRun).toMatchObject({ conclusion: "success", externalId: execution.executionId });
    expect(approvalRun?.output.title).toBe("Approved by ada");

    // Each run was created once, without a lookup (no attempt had been made before); every later state was one update.
    expect([await count(LIST), await count(CREATE), await count(UPDATE)]).toEqual([0, 2, 4]);
    expect(await jobsOn(sha)).toEqual([
      expect.objectContaining({ kind: "check-run.execution", state: "delivered", remoteId: BigInt(run?.id ?? 0) }),
      expect.objectContaining({
        kind: "check-run.approval",
        state: "delivered",
        remoteId: BigInt(approvalRun?.id ?? 0),
      }),
    ]);
  });

  it("makes no second run when GitHub creates one and loses the answer (a 502 or a dropped connection)", async () => {
    for (const mode of ["502", "drop"]) {
      await standInControl(standIn.url, "requests/reset", {});
      await standInControl(standIn.url, "faults", { loseAnswers: { count: 1, mode, kinds: ["check_run"] } });
      const sha = newSha();
      await rows.startExecution(database.db, { pipelineId: "p1", sha });
      await pass();
      const runs = await runsOn(sha);
      expect(runs, mode).toHaveLength(1);
      expect(await jobsOn(sha)).toEqual([
        expect.objectContaining({ state: "delivered", remoteId: BigInt(runs[0]?.id ?? 0) }),
      ]);
      // Created once (a first attempt looks nothing up), looked up when the answer was lost: found it.
      expect([await count(LIST), await count(CREATE)], mode).toEqual([1, 1]);
    }
  });

  it("waits out secondary rate limits, in the client and then in the queue, without a duplicate", async () => {
    await standInControl(standIn.url, "faults", { secondaryLimit: { count: 2, retryAfter: 1 } });
    const sha = newSha();
    await rows.startExecution(database.db, { pipelineId: "p1", sha });
    await pass();
    expect(await runsOn(sha)).toHaveLength(1);
    expect(await count(CREATE)).toBe(3);

    // More refusals than the client retries: the job waits as long as GitHub asks, and the attempt is not counted.
    await standInControl(standIn.url, "faults", { secondaryLimit: { count: 4, retryAfter: 1 } });
    const next = newSha();
    await rows.startExecution(database.db, { pipelineId: "p1", sha: next });
    await pass();
    expect(await runsOn(next)).toEqual([]);
    const [waiting] = await jobsOn(next);
    expect(waiting).toMatchObject({ state: "pending", attempts: 0, remoteId: null });
    expect(waiting?.lastError).toMatch(/^GitHub rate limit \(403\), retrying after 1 s/);
    await pass(later(5_000));
    expect(await runsOn(next)).toHaveLength(1);
    expect(await jobsOn(next)).toEqual([expect.objectContaining({ state: "delivered" })]);
  });

  it("loses nothing and doubles nothing when a process dies mid-delivery", async () => {
    const sha = newSha();
    await rows.startExecution(database.db, { pipelineId: "p1", sha });
    await loop.writebackOnce({
      db: database.db,
      logger: { warn: () => {}, info: () => {} },
      baseUrl: BASE,
      deliver: { limit: 0 },
    });
    // The process that dies: it claims the job and creates the run on GitHub, then never records the answer.
    const claim = await claims.claimJobs(database.db, { limit: 10, now: new Date() });
    expect(claim.jobs).toHaveLength(1);
    const lookup = await clients.writebackClientFor(database.db, "acme/web-app");
    if (lookup.kind !== "ready") throw new Error(lookup.kind);
    const job = claim.jobs[0] as Claims.ClaimedJob;
    const { checkRunOf, readDesired } = await import("@/lib/server/writeback/desired");
    await checkRuns.checkRunApi(lookup.client, job.repository).create(checkRunOf(readDesired(job.desired)));

    // While its claim holds, nobody else sends the job; once it has run out, another process does, and finds the run.
    expect((await pass()).attempted).toBe(0);
    expect((await pass(later(claims.CLAIM_MS + 60_000))).attempted).toBe(1);
    const runs = await runsOn(sha);
    expect(runs).toHaveLength(1);
    expect(await jobsOn(sha)).toEqual([
      expect.objectContaining({ state: "delivered", attempts: 2, remoteId: BigInt(runs[0]?.id ?? 0) }),
    ]);
    expect([await count(CREATE), await count(LIST), await count(UPDATE)]).toEqual([1, 1, 1]);
  });

  it("posts nothing for history a backfill stores", async () => {
    const sha = newSha();
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha, origin: "backfill" });
    await database.db.$transaction(async (tx) => {
      const { markChangeOrigin } = await import("@/lib/server/feed/origin");
      await markChangeOrigin(tx, "backfill");
      await tx.execution.update({ where: { id: execution.rowId }, data: { status: "Succeeded" } });
    });
    expect(await pass()).toEqual({ enqueued: 0, attempted: 0, drained: true });
    expect(await runsOn(sha)).toEqual([]);
    expect(await jobsOn(sha)).toEqual([]);
    expect((await standInControl<{ total: number }>(standIn.url, "requests")).total).toBe(0);
  });

  it("skips a repository the App is not installed on, saying so", async () => {
    const sha = newSha();
    await rows.startExecution(database.db, { pipelineId: "p2", sha });
    await pass();
    expect(await jobsOn(sha)).toEqual([
      expect.objectContaining({ state: "skipped", lastError: "The GitHub App is not installed on globex/storefront" }),
    ]);
    expect(await count(CREATE)).toBe(0);
  });

  it("dead-letters a run GitHub refuses as it is, lists it for administrators, and sends it again on retry", async () => {
    const sha = newSha();
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha });
    await loop.writebackOnce({
      db: database.db,
      logger: { warn: () => {}, info: () => {} },
      baseUrl: BASE,
      deliver: { limit: 0 },
    });
    // A summary within GitHub's 65,535 characters but over its 65,535 bytes: GitHub answers 422.
    const job = await database.db.writebackJob.findFirstOrThrow({ where: { headSha: sha } });
    const desired = job.desired as { checkRun: { summary: string } };
    desired.checkRun.summary = "é".repeat(40_000);
    await database.db.writebackJob.update({ where: { id: job.id }, data: { desired } });
    await pass();
    const overview = await deadLetters.readWritebackOverview(database.db);
    const dead = overview.undelivered.find((j) => j.id === job.id);
    expect(dead).toMatchObject({
      state: "dead",
      name: "CodePipeline · web-app",
      executionId: execution.executionId,
      attempts: 1,
      lastStatusCode: 422,
    });
    expect(dead?.lastError).toMatch(/^GitHub answered 422: /);
    expect(overview.counts.dead).toBeGreaterThanOrEqual(1);
    expect(await runsOn(sha)).toEqual([]);

    expect(await deadLetters.retryJobs(database.db, { ids: [job.id] })).toBe(1);
    await pass();
    expect(await count(CREATE)).toBe(2);
    expect(await jobsOn(sha)).toEqual([expect.objectContaining({ state: "dead", attempts: 1 })]);
  });
});
