import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { pruneAuditLog, recordAttempt, recordOutcome, recordPolicyChange, recordRefusal } from "./record";

// The audit log is append-only in the database itself: whatever client asks, an UPDATE, a DELETE or a
// TRUNCATE of AuditEntry fails; only the log's own prune deletes, and only rows past its retention.
let database: TestDatabase;
const actor = { githubId: 1001n, login: "ada" };
const subject = {
  repository: "acme/web-app",
  repositoryGithubId: 7n,
  pipelineId: "p1",
  pipelineName: "web-app-prod",
  stageName: "Deploy",
};

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe("the audit log", () => {
  it("links an outcome to its attempt, copying who, what and where", async () => {
    const attempt = await recordAttempt(database.db, {
      actor,
      action: "retry-stage",
      subject,
      parameters: { retryMode: "FAILED_ACTIONS", variables: [{ name: "DEPLOY_TOKEN", value: "hunter2" }] },
      comment: "again",
      requestId: "req-1",
    });
    const outcome = await recordOutcome(database.db, attempt, { outcome: "succeeded", awsRequestId: "aws-1" });
    const rows = await database.db.auditEntry.findMany({
      where: { id: { in: [attempt, outcome] } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.entry, r.outcome, r.attemptId])).toEqual([
      ["attempt", "attempted", null],
      ["outcome", "succeeded", attempt],
    ]);
    expect(rows[1]).toMatchObject({ actorLogin: "ada", actorGithubId: 1001n, stageName: "Deploy", requestId: "req-1" });
    expect(rows[1]?.awsRequestId).toBe("aws-1");
    // A secret-looking variable never reaches the log.
    expect(JSON.stringify(rows[0]?.parameters)).not.toContain("hunter2");
  });

  it("refuses UPDATE, DELETE and TRUNCATE from any client", async () => {
    const id = await recordRefusal(database.db, { actor, action: "approve", subject, requestId: "r", reason: "no" });
    await expect(
      database.db.$executeRaw`UPDATE "AuditEntry" SET "outcome" = 'succeeded' WHERE id = ${id}`,
    ).rejects.toThrow(/append-only/);
    await expect(database.db.$executeRaw`DELETE FROM "AuditEntry" WHERE id = ${id}`).rejects.toThrow(/append-only/);
    await expect(database.db.$executeRawUnsafe(`TRUNCATE "AuditEntry"`)).rejects.toThrow(/append-only/);
    // Setting the prune's cut-off by hand does not unlock today's rows.
    await expect(
      database.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('stageboard.audit_prune_before', '2999-01-01', true)`;
        await tx.$executeRaw`DELETE FROM "AuditEntry" WHERE id = ${id}`;
      }),
    ).rejects.toThrow(/append-only/);
    expect(await database.db.auditEntry.count({ where: { id } })).toBe(1);
  });

  it("prunes only rows past its retention", async () => {
    const old = await database.db.auditEntry.create({
      data: {
        entry: "policy-change",
        action: "policy-change",
        actorLogin: "ada",
        outcome: "succeeded",
        at: new Date(Date.now() - 500 * 86_400_000),
      },
    });
    const recent = await recordPolicyChange(database.db, { actor, subject, before: null, after: {}, requestId: "r" });
    await expect(database.db.$executeRaw`DELETE FROM "AuditEntry" WHERE id = ${old.id}`).rejects.toThrow(/append-only/);
    expect(await pruneAuditLog(database.db, 400)).toBe(1);
    expect(await database.db.auditEntry.count({ where: { id: old.id } })).toBe(0);
    expect(await database.db.auditEntry.count({ where: { id: recent } })).toBe(1);
  });
});
