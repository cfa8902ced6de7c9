import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import type { ApprovalDeclaration } from "../decide/approval-declarations";
import { fillPendingApprovalFacts, settleApprovals, upsertPendingApprovals, type PendingApproval } from "./approvals";

// The approval rows the sync writes, in a real database with its triggers: what a pending row carries from its
// declaration, and how a finished approval action settles it (and what the console-decision audit makes of it).
let t: TestDatabase;
let pipelineId = "";
const now = new Date("2026-12-01T12:00:00Z");
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  pipelineId = (await t.db.pipeline.create({ data: { targetId: "t", name: "web-app", version: 1 } })).id;
});
afterAll(async () => t?.drop());

const declared = (over: Partial<ApprovalDeclaration> = {}): ApprovalDeclaration => ({
  timeoutMinutes: 60,
  customData: "Ship build 42 to production?",
  externalEntityLink: "https://example.com/review/42",
  ...over,
});

const pending = (over: Partial<PendingApproval> = {}): PendingApproval => ({
  stageName: "Gate",
  actionName: "Release",
  token: randomUUID(),
  executionId: randomUUID(),
  actionExecutionId: null,
  since: new Date(now.getTime() - 10 * MINUTE),
  declared: declared(),
  ...over,
});

const row = (token: string) => t.db.approval.findFirstOrThrow({ where: { pipelineId, token } });

describe("upsertPendingApprovals", () => {
  it("stores a new pending approval with its declared CustomData, review link and timeout", async () => {
    const p = pending();
    await upsertPendingApprovals(t.db, pipelineId, [p], now);
    expect(await row(p.token)).toMatchObject({
      status: "Pending",
      requestedAt: p.since,
      expiresAt: new Date(p.since!.getTime() + 60 * MINUTE),
      customData: "Ship build 42 to production?",
      externalEntityLink: "https://example.com/review/42",
    });
  });

  it("holds an odd declared timeout to AWS's bounds", async () => {
    const quick = pending({ declared: declared({ timeoutMinutes: 0 }) });
    const endless = pending({ declared: declared({ timeoutMinutes: 10_000_000 }) });
    const unknown = pending({ declared: null });
    await upsertPendingApprovals(t.db, pipelineId, [quick, endless, unknown], now);
    const after = async (token: string) => {
      const r = await row(token);
      return (r.expiresAt!.getTime() - r.requestedAt.getTime()) / MINUTE;
    };
    expect(await after(quick.token)).toBe(5);
    expect(await after(endless.token)).toBe(86_400);
    expect(await after(unknown.token)).toBe(7 * 24 * 60);
  });

  it("gives a row stored without them its declared facts, and changed ones, never touching its status", async () => {
    const p = pending();
    await upsertPendingApprovals(t.db, pipelineId, [{ ...p, declared: null }], now);
    const before = await row(p.token);
    expect(before).toMatchObject({ customData: null, externalEntityLink: null });
    await upsertPendingApprovals(t.db, pipelineId, [p], now);
    expect(await row(p.token)).toMatchObject({
      status: "Pending",
      customData: "Ship build 42 to production?",
      externalEntityLink: "https://example.com/review/42",
    });
    await upsertPendingApprovals(
      t.db,
      pipelineId,
      [{ ...p, declared: declared({ customData: "Now with a checklist", externalEntityLink: null }) }],
      now,
    );
    const changed = await row(p.token);
    expect(changed).toMatchObject({ status: "Pending", customData: "Now with a checklist", externalEntityLink: null });
    // The expiry once computed stays: AWS's own timer started when the approval did.
    expect(changed.expiresAt).toEqual(before.expiresAt);
  });

  it("keeps what a row says when no declaration is known", async () => {
    const p = pending();
    await upsertPendingApprovals(t.db, pipelineId, [p], now);
    await upsertPendingApprovals(t.db, pipelineId, [{ ...p, declared: null }], now);
    expect(await row(p.token)).toMatchObject({ customData: "Ship build 42 to production?" });
  });
});

describe("fillPendingApprovalFacts", () => {
  it("fills pending rows stored without facts, and reads the declaration only when there are some", async () => {
    const other = (await t.db.pipeline.create({ data: { targetId: "t", name: "fill", version: 1 } })).id;
    const bare = pending();
    const decided = pending();
    await upsertPendingApprovals(
      t.db,
      other,
      [
        { ...bare, declared: null },
        { ...decided, declared: null },
      ],
      now,
    );
    await t.db.approval.updateMany({
      where: { pipelineId: other, token: decided.token },
      data: { status: "Approved" },
    });
    let reads = 0;
    const declarations = () => {
      reads++;
      return Promise.resolve(new Map([["Gate/Release", declared()]]));
    };
    await fillPendingApprovalFacts(t.db, other, declarations);
    expect(reads).toBe(1);
    const rows = await t.db.approval.findMany({ where: { pipelineId: other }, orderBy: { status: "asc" } });
    expect(rows.map((r) => [r.status, r.customData])).toEqual([
      ["Approved", null],
      ["Pending", "Ship build 42 to production?"],
    ]);
    await fillPendingApprovalFacts(t.db, other, declarations);
    expect(reads).toBe(1);
  });
});

describe("settleApprovals", () => {
  /** A pending approval whose approval action finished as given, stored as the sync stores both. */
  async function finished(action: {
    status: string;
    errorMessage: string | null;
    updatedBy: string | null;
    endedAfterMinutes: number;
    summary?: string;
  }) {
    const p = pending({ declared: declared({ timeoutMinutes: 5 }) });
    await upsertPendingApprovals(t.db, pipelineId, [p], now);
    const since = p.since!;
    await t.db.execution.create({
      data: {
        pipelineId,
        executionId: p.executionId!,
        status: "Failed",
        startTime: since,
        lastUpdateTime: since,
        actionExecutions: {
          create: {
            actionExecutionId: randomUUID(),
            stageName: p.stageName,
            actionName: p.actionName,
            category: "Approval",
            status: action.status,
            startTime: since,
            lastUpdateTime: new Date(since.getTime() + action.endedAfterMinutes * MINUTE),
            updatedBy: action.updatedBy,
            errorCode: action.status === "Failed" ? "JobFailed" : null,
            errorMessage: action.errorMessage,
            externalExecutionSummary: action.summary ?? null,
          },
        },
      },
    });
    await settleApprovals(t.db, pipelineId, new Set(), now);
    return row(p.token);
  }
  const consoleDecisions = (executionId: string | null) =>
    t.db.auditEntry.count({ where: { entry: "console-decision", executionId } });

  it("stores an expired approval as Expired, when it ended, decided by nobody, and audits no decision", async () => {
    const expired = await finished({
      status: "Failed",
      errorMessage: "The approval request expired before it received a response.",
      updatedBy: null,
      endedAfterMinutes: 5,
    });
    expect(expired).toMatchObject({
      status: "Expired",
      decidedAt: new Date(expired.requestedAt.getTime() + 5 * MINUTE),
      decidedBy: null,
      customData: "Ship build 42 to production?",
    });
    expect(await consoleDecisions(expired.executionId)).toBe(0);
  });

  it("stores one that failed unanswered at its expiry as Expired, whatever the message", async () => {
    const expired = await finished({ status: "Failed", errorMessage: null, updatedBy: null, endedAfterMinutes: 5 });
    expect(expired.status).toBe("Expired");
    expect(await consoleDecisions(expired.executionId)).toBe(0);
  });

  it("stores a rejection from the console as Rejected by its identity, logged as a console decision", async () => {
    const grace = "arn:aws:iam::111122223333:user/grace";
    const rejected = await finished({
      status: "Failed",
      errorMessage: "Rejected: the ticket expired",
      updatedBy: grace,
      endedAfterMinutes: 2,
      summary: "the ticket expired",
    });
    expect(rejected).toMatchObject({ status: "Rejected", decidedBy: grace, summary: "the ticket expired" });
    const audit = await t.db.auditEntry.findFirstOrThrow({
      where: { entry: "console-decision", executionId: rejected.executionId },
    });
    expect(audit).toMatchObject({ actorLogin: grace, parameters: { status: "Rejected" } });
  });

  it("stores an approval as Approved by who approved it", async () => {
    const ada = "arn:aws:iam::111122223333:user/ada";
    const approved = await finished({ status: "Succeeded", errorMessage: null, updatedBy: ada, endedAfterMinutes: 1 });
    expect(approved).toMatchObject({ status: "Approved", decidedBy: ada });
    expect(await consoleDecisions(approved.executionId)).toBe(1);
  });
});
