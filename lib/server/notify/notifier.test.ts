import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Notifier from "@/lib/server/notify/notifier";
import type * as SecretBox from "@/lib/server/notify/secret-box";
import type * as Enqueue from "@/lib/server/notify/enqueue";
import type * as Consumer from "@/lib/server/feed/consumer";
import { markChangeOrigin } from "@/lib/server/feed/origin";
import { startReceiver, type Receiver } from "@/lib/server/notify/testing/receiver";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// From the change feed to a receiver: stored changes become deliveries exactly once, even when the consumer's
// transaction dies between changes, and only live changes of subscribed repositories are sent.
let database: TestDatabase;
let receiver: Receiver;
let notifier: typeof Notifier;
let box: typeof SecretBox;
let enqueue: typeof Enqueue;
let consumer: typeof Consumer;
const REPO_ID = 777n;
let n = 0;

beforeAll(async () => {
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  notifier = await import("@/lib/server/notify/notifier");
  box = await import("@/lib/server/notify/secret-box");
  enqueue = await import("@/lib/server/notify/enqueue");
  consumer = await import("@/lib/server/feed/consumer");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  receiver = await startReceiver();
  const { db } = database;
  await db.target.create({ data: { id: "t1", accountId: "123456789012", region: "us-east-1" } });
  await db.repository.create({
    data: { id: "r1", fullName: "acme/web-app", owner: "acme", name: "web-app", githubId: REPO_ID },
  });
  await db.repository.create({
    data: { id: "r2", fullName: "acme/other", owner: "acme", name: "other", githubId: 778n },
  });
  await db.pipeline.create({ data: { id: "p1", targetId: "t1", name: "web-app", version: 1, repositoryId: "r1" } });
  await db.pipeline.create({ data: { id: "p2", targetId: "t1", name: "other", version: 1, repositoryId: "r2" } });
});
afterAll(async () => {
  await receiver.stop();
  await database.drop();
  vi.unstubAllEnvs();
});
beforeEach(async () => {
  await database.db.notifyWebhook.deleteMany();
  receiver.received.length = 0;
  // Read the feed up to now, so each test sees only its own changes.
  await pass();
});

const options = () => ({
  db: database.db,
  logger: { warn: () => {}, info: () => {} },
  policy: { allowPrivate: true },
  baseUrl: "https://stageboard.example.com",
});
const pass = () => notifier.notifyOnce(options());

async function webhook(events: string[], path = "/hook"): Promise<string> {
  const id = randomUUID();
  await database.db.notifyWebhook.create({
    data: {
      id,
      repositoryGithubId: REPO_ID,
      repositoryName: "acme/web-app",
      format: "slack",
      urlSealed: box.sealWebhookValue(`${receiver.url}${path}`, { column: "url", webhookId: id }),
      urlHint: "hint",
      events,
      createdByLogin: "ada",
    },
  });
  return id;
}

async function pendingApproval(pipelineId = "p1") {
  const executionId = randomUUID();
  await database.db.execution.create({
    data: { pipelineId, executionId, status: "InProgress", startTime: new Date(), lastUpdateTime: new Date() },
  });
  return database.db.approval.create({
    data: {
      pipelineId,
      executionId,
      stageName: "Prod",
      actionName: "Approve",
      token: `tok-${++n}`,
      status: "Pending",
      requestedAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
}

const texts = () => receiver.received.map((r) => (JSON.parse(r.body) as { text: string }).text);

describe("notifications from the change feed", () => {
  it("sends approval waiting, then approved by the Stageboard user who decided", async () => {
    await webhook(["approval.waiting", "approval.decided"]);
    const approval = await pendingApproval();
    expect(await pass()).toEqual({ enqueued: 1, attempted: 1 });
    expect(texts()).toEqual([
      expect.stringContaining(
        `Approval waiting: web-app / Prod / Approve (https://stageboard.example.com/pipelines/p1/executions/${approval.executionId})`,
      ),
    ]);
    await database.db.approvalDecision.create({
      data: {
        approvalId: approval.id,
        decision: "approve",
        githubId: 1001n,
        login: "ada",
        name: "Ada Lovelace",
        comment: "ship it",
        state: "sent",
      },
    });
    await database.db.approval.update({
      where: { id: approval.id },
      data: { status: "Approved", decidedBy: "arn:aws:sts::123456789012:assumed-role/StageboardControl/x" },
    });
    await pass();
    expect(texts()[1]).toContain("Approved by @ada: web-app / Prod / Approve");
    const body = JSON.parse(receiver.received[1]?.body ?? "") as { blocks: { text: { text: string } }[] };
    expect(body.blocks[0]?.text.text).toContain("Comment: ship it");
  });

  it("names the IAM identity for a decision made in the AWS console, and sends failed executions", async () => {
    await webhook(["approval.decided", "execution.failed"]);
    const approval = await pendingApproval();
    await database.db.approval.update({
      where: { id: approval.id },
      data: { status: "Rejected", decidedBy: "arn:aws:iam::123456789012:user/grace", summary: "not today" },
    });
    const execution = await database.db.execution.update({
      where: { pipelineId_executionId: { pipelineId: "p1", executionId: approval.executionId ?? "" } },
      data: { status: "Failed", statusSummary: "Approval rejected" },
    });
    expect((await pass()).enqueued).toBe(2);
    expect(texts()).toHaveLength(2);
    // Sent at once, in either order.
    expect(texts()).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Rejected by arn:aws:iam::123456789012:user/grace: web-app / Prod / Approve"),
        expect.stringContaining(
          `Execution failed: web-app (https://stageboard.example.com/pipelines/p1/executions/${execution.executionId})`,
        ),
      ]),
    );
  });

  it("sends nothing for unsubscribed events, other repositories, turned-off webhooks or backfilled history", async () => {
    const off = await webhook(["approval.waiting"], "/off");
    await database.db.notifyWebhook.update({ where: { id: off }, data: { enabled: false } });
    await webhook(["execution.failed"], "/failures-only");
    await pendingApproval();
    await pendingApproval("p2");
    await database.db.$transaction(async (tx) => {
      await markChangeOrigin(tx, "backfill");
      await tx.execution.create({
        data: {
          pipelineId: "p1",
          executionId: randomUUID(),
          status: "Failed",
          startTime: new Date(),
          lastUpdateTime: new Date(),
        },
      });
    });
    expect(await pass()).toEqual({ enqueued: 0, attempted: 0 });
    expect(receiver.received).toEqual([]);
  });

  it("loses nothing and doubles nothing when the consumer dies between changes", async () => {
    const hook = await webhook(["approval.waiting"]);
    const cursorBefore = await database.db.changeConsumer.findUniqueOrThrow({
      where: { name: notifier.NOTIFY_CONSUMER },
    });
    await pendingApproval();
    await pendingApproval();
    // The consumer's connection is killed after it turned the first change into a delivery, mid-batch.
    const killed = consumer.consumeChanges(
      database.db,
      notifier.NOTIFY_CONSUMER,
      async (tx, changes) => {
        await enqueue.enqueueDeliveries(tx, changes.slice(0, 1), "https://stageboard.example.com");
        await tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
      },
      { limit: 200, origin: "live" },
    );
    await expect(killed).rejects.toThrow();
    expect(await database.db.notifyDelivery.count({ where: { webhookId: hook } })).toBe(0);
    const cursorAfter = await database.db.changeConsumer.findUniqueOrThrow({
      where: { name: notifier.NOTIFY_CONSUMER },
    });
    expect([cursorAfter.cursorTxid, cursorAfter.cursorId]).toEqual([cursorBefore.cursorTxid, cursorBefore.cursorId]);
    // The next pass (another process, or this one restarted) finds both changes.
    expect(await pass()).toEqual({ enqueued: 2, attempted: 2 });
    expect(await pass()).toEqual({ enqueued: 0, attempted: 0 });
    expect(receiver.received).toHaveLength(2);
    // Even a change read twice (a cursor moved back by hand) makes no second delivery for the same webhook.
    await database.db.changeConsumer.update({
      where: { name: notifier.NOTIFY_CONSUMER },
      data: { cursorTxid: cursorBefore.cursorTxid, cursorId: cursorBefore.cursorId },
    });
    expect((await pass()).enqueued).toBe(0);
    expect(await database.db.notifyDelivery.count({ where: { webhookId: hook } })).toBe(2);
  });

  it("prunes finished deliveries past retention, never pending ones", async () => {
    const hook = await webhook(["approval.waiting"]);
    const old = new Date(Date.now() - 40 * 86_400_000);
    const notice = {};
    await database.db.notifyDelivery.createMany({
      data: [
        { id: "old-done", webhookId: hook, event: "ping", notice, status: "delivered", createdAt: old },
        { id: "old-failed", webhookId: hook, event: "ping", notice, status: "failed", createdAt: old },
        {
          id: "old-pending",
          webhookId: hook,
          event: "ping",
          notice,
          status: "pending",
          createdAt: old,
          nextAttemptAt: new Date(Date.now() + 3_600_000),
        },
        { id: "recent", webhookId: hook, event: "ping", notice, status: "delivered" },
      ],
    });
    expect(await notifier.pruneDeliveries(database.db, new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    const left = await database.db.notifyDelivery.findMany({ where: { webhookId: hook }, select: { id: true } });
    expect(left.map((d) => d.id).sort()).toEqual(["old-pending", "recent"]);
  });

  it("runs as a loop that wakes on signals and stops cleanly", async () => {
    await webhook(["approval.waiting"]);
    let signal: (() => void) | undefined;
    const loop = notifier.startNotifier({
      ...options(),
      tickMs: 60_000,
      signals: (wake) => ((signal = wake), () => {}),
    });
    await pendingApproval();
    signal?.();
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000, interval: 50 });
    await loop.stop();
  });
});
