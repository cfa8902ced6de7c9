import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as Claims from "@/lib/server/writeback/claim-jobs";
import type * as Record from "@/lib/server/writeback/record-outcome";
import type * as Loop from "@/lib/server/writeback/writeback-loop";
import type * as Rows from "@/lib/server/writeback/testing/pipeline-rows";

// The outbox and its queue against a real PostgreSQL and the real change feed (its triggers), with no GitHub:
// which changes become jobs, how they coalesce, in which order jobs may be claimed, and how outcomes are recorded.
let database: TestDatabase;
let loop: typeof Loop;
let claims: typeof Claims;
let record: typeof Record;
let rows: typeof Rows;

const SHA = "a".repeat(40);
const BASE = "https://stageboard.example.com";
const options = () => ({
  db: database.db,
  logger: { warn: () => {}, info: () => {} },
  baseUrl: BASE,
  appConfigured: () => Promise.resolve(true),
  // Nothing is sent in these tests: the queue is claimed and recorded by hand.
  deliver: { limit: 0 },
});
const consume = () => loop.writebackOnce(options());
const jobs = () =>
  database.db.writebackJob.findMany({
    orderBy: { seq: "asc" },
    select: {
      id: true,
      kind: true,
      subject: true,
      executionId: true,
      desired: true,
      desiredVersion: true,
      state: true,
      attempts: true,
    },
  });
const title = (desired: unknown) => (desired as { checkRun: { title: string } }).checkRun.title;

beforeAll(async () => {
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  loop = await import("@/lib/server/writeback/writeback-loop");
  claims = await import("@/lib/server/writeback/claim-jobs");
  record = await import("@/lib/server/writeback/record-outcome");
  rows = await import("@/lib/server/writeback/testing/pipeline-rows");
  await rows.seedPipeline(database.db, { pipelineId: "p1", repository: "acme/web-app" });
  await rows.seedPipeline(database.db, { pipelineId: "p2", repository: "acme/web-app" });
  await consume();
});
afterAll(async () => {
  await database.drop();
});
beforeEach(async () => {
  await consume();
  await database.db.writebackJob.deleteMany();
});

describe("the write-back outbox", () => {
  it("turns live changes into one job per run, coalescing changes that wait for the same run", async () => {
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    await rows.setStage(database.db, execution, "Source", "Succeeded", { end: new Date() });
    await rows.setStage(database.db, execution, "Build", "InProgress");
    expect((await consume()).enqueued).toBe(1);
    const [job] = await jobs();
    expect(job).toMatchObject({ kind: "check-run.execution", subject: "", desiredVersion: 1, state: "pending" });
    expect(title(job?.desired)).toBe("Running Build");

    // Three more changes before the next read: still one job, holding only the latest state.
    await rows.setStage(database.db, execution, "Build", "Succeeded", { end: new Date() });
    await rows.setStage(database.db, execution, "Prod", "InProgress");
    const approval = await rows.requestApproval(database.db, execution);
    await consume();
    const [run, approvalRun] = await jobs();
    expect([run?.desiredVersion, title(run?.desired)]).toEqual([2, "Waiting for approval at Prod"]);
    expect([approvalRun?.kind, approvalRun?.subject, title(approvalRun?.desired)]).toEqual([
      "check-run.approval",
      "Prod",
      "Waiting for approval at Prod",
    ]);
    expect(approval.status).toBe("Pending");
  });

  it("writes nothing for a change that alters nothing GitHub would show", async () => {
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    await consume();
    // An action's status changes, but no failed action and no stage status: the run's state stays the same.
    await database.db.actionExecution.create({
      data: {
        executionId: execution.rowId,
        actionExecutionId: "a1",
        stageName: "Source",
        actionName: "Src",
        status: "InProgress",
      },
    });
    expect((await consume()).enqueued).toBe(0);
    expect((await jobs()).map((j) => j.desiredVersion)).toEqual([1]);
  });

  it("skips executions without a GitHub source commit, and history written by a backfill", async () => {
    await rows.startExecution(database.db, { pipelineId: "p1", sha: null });
    await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA, origin: "backfill" });
    expect((await consume()).enqueued).toBe(0);
    expect(await jobs()).toEqual([]);
  });

  it("queues nothing while no GitHub App is configured, and does not post those changes later", async () => {
    await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    expect((await loop.writebackOnce({ ...options(), appConfigured: () => Promise.resolve(false) })).enqueued).toBe(0);
    expect((await consume()).enqueued).toBe(0);
    expect(await jobs()).toEqual([]);
  });
});

describe("the write-back queue", () => {
  const claim = (now = new Date()) => claims.claimJobs(database.db, { limit: 10, now });
  const delivered = (job: Claims.ClaimedJob, claimId: string, now = new Date()) =>
    record.recordOutcome(
      database.db,
      { job, claimId, installationId: 1, now },
      { kind: "delivered", remoteId: 7n, writes: 1 },
    );

  it("keeps order per commit and pipeline: a newer run waits while an older one of the same pipeline is pending", async () => {
    const older = await rows.startExecution(database.db, {
      pipelineId: "p1",
      sha: SHA,
      startTime: new Date(Date.now() - 60_000),
    });
    const newer = await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    const other = await rows.startExecution(database.db, { pipelineId: "p2", sha: SHA });
    await consume();
    const first = await claim();
    expect(first.jobs.map((j) => j.executionId).sort()).toEqual([older.executionId, other.executionId].sort());
    expect((await claim()).jobs).toEqual([]);
    for (const job of first.jobs) expect(await delivered(job, first.claimId)).toBe(true);
    expect((await claim()).jobs.map((j) => j.executionId)).toEqual([newer.executionId]);
  });

  it("sends only the latest state: a change made while a job is being sent makes it due again once recorded", async () => {
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    await consume();
    const inFlight = await claim();
    expect(inFlight.jobs).toHaveLength(1);
    await rows.setStage(database.db, execution, "Source", "Failed", { end: new Date() });
    await rows.setExecutionStatus(database.db, execution, "Failed");
    await consume();
    await delivered(inFlight.jobs[0] as Claims.ClaimedJob, inFlight.claimId);
    const [job] = await database.db.writebackJob.findMany();
    expect(job).toMatchObject({ state: "pending", sentVersion: 1, desiredVersion: 2, attempts: 0, remoteId: 7n });
    const again = await claim();
    expect(again.jobs.map((j) => [j.desiredVersion, j.remoteId])).toEqual([[2, 7n]]);
    await delivered(again.jobs[0] as Claims.ClaimedJob, again.claimId);
    expect(await database.db.writebackJob.findMany({ select: { state: true, sentVersion: true } })).toEqual([
      { state: "delivered", sentVersion: 2 },
    ]);
  });

  it("loses nothing when a process dies holding a claim: the job comes back once the claim runs out", async () => {
    await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    await consume();
    const now = new Date();
    const abandoned = await claim(now);
    expect(abandoned.jobs).toHaveLength(1);
    expect((await claim(new Date(now.getTime() + claims.CLAIM_MS - 1000))).jobs).toEqual([]);
    const later = new Date(now.getTime() + claims.CLAIM_MS + 1000);
    const retaken = await claim(later);
    expect(retaken.jobs.map((j) => j.attempts)).toEqual([2]);
    // The dead process's outcome, should it come after all, is not recorded over the new claim's.
    expect(await delivered(abandoned.jobs[0] as Claims.ClaimedJob, abandoned.claimId)).toBe(false);
    expect(await delivered(retaken.jobs[0] as Claims.ClaimedJob, retaken.claimId, later)).toBe(true);
  });

  it("dead-letters after the last attempt, and a newer state gives the job a fresh start", async () => {
    const execution = await rows.startExecution(database.db, { pipelineId: "p1", sha: SHA });
    await consume();
    const { jobs: claimed, claimId } = await claim();
    const job = claimed[0] as Claims.ClaimedJob;
    await record.recordOutcome(
      database.db,
      { job, claimId, installationId: null, now: new Date() },
      { kind: "dead", error: "GitHub answered 422: Invalid request.", statusCode: 422, remoteId: null, writes: 0 },
    );
    expect(await database.db.writebackJob.findMany({ select: { state: true, lastError: true } })).toEqual([
      { state: "dead", lastError: "GitHub answered 422: Invalid request." },
    ]);
    expect((await claim()).jobs).toEqual([]);
    await rows.setExecutionStatus(database.db, execution, "Succeeded");
    await consume();
    expect(await database.db.writebackJob.findMany({ select: { state: true, attempts: true } })).toEqual([
      { state: "pending", attempts: 0 },
    ]);
  });
});
