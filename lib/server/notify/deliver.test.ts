import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as Deliver from "@/lib/server/notify/deliver";
import type * as HttpPost from "@/lib/server/notify/http-post";
import type * as SecretBox from "@/lib/server/notify/secret-box";
import { buildNotice } from "@/lib/server/notify/notice";
import { startReceiver, type Receiver } from "@/lib/server/notify/testing/receiver";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The delivery queue against a real Postgres and a real HTTP receiver on loopback: what is sent, what is
// retried, what is refused, and that several senders never send one delivery twice.
let database: TestDatabase;
let receiver: Receiver;
let deliver: typeof Deliver;
let box: typeof SecretBox;
let http: typeof HttpPost;
const policy = { allowPrivate: true };
const SECRET = "receiver-shared-secret-0123456789";
const t0 = new Date("2026-12-01T10:00:00Z");

beforeAll(async () => {
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  deliver = await import("@/lib/server/notify/deliver");
  box = await import("@/lib/server/notify/secret-box");
  http = await import("@/lib/server/notify/http-post");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.stop();
  await database.drop();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  receiver.received.length = 0;
});

async function webhook(format: "slack" | "json", url: string): Promise<string> {
  const id = randomUUID();
  await database.db.notifyWebhook.create({
    data: {
      id,
      repositoryGithubId: 42n,
      repositoryName: "acme/web-app",
      format,
      urlSealed: box.sealWebhookValue(url, { column: "url", webhookId: id }),
      urlHint: "hint",
      secretSealed: format === "json" ? box.sealWebhookValue(SECRET, { column: "secret", webhookId: id }) : null,
      events: ["approval.waiting"],
      createdByLogin: "ada",
    },
  });
  return id;
}

async function delivery(webhookId: string, at = t0): Promise<string> {
  const notice = buildNotice({
    event: "approval.waiting",
    occurredAt: at,
    repository: "acme/web-app",
    pipeline: { id: "p1", name: "web-app" },
    executionId: null,
    stageName: "Prod",
    actionName: "Approve",
    actor: null,
    comment: null,
    expiresAt: null,
    failure: null,
    baseUrl: "http://stageboard.test",
  });
  const row = await database.db.notifyDelivery.create({
    data: { webhookId, event: "approval.waiting", notice, nextAttemptAt: at },
  });
  return row.id;
}

const options = (now: Date, extra: Partial<Deliver.DeliverOptions> = {}) => ({
  db: database.db,
  policy,
  now: () => now,
  ...extra,
});
const later = (ms: number) => new Date(t0.getTime() + ms);
const attemptsOf = (deliveryId: string) =>
  database.db.notifyAttempt.findMany({ where: { deliveryId }, orderBy: { at: "asc" } });
const deliveryRow = (id: string) => database.db.notifyDelivery.findUniqueOrThrow({ where: { id } });

describe("delivering notifications", () => {
  it("sends Slack's format and records the attempt", async () => {
    const id = await delivery(await webhook("slack", `${receiver.url}/slack/T0/B0/secretpart`));
    expect(await deliver.deliverDue(options(t0), 10)).toBe(1);
    const [request] = receiver.received;
    expect(request?.path).toBe("/slack/T0/B0/secretpart");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-stageboard-delivery"]).toBe(id);
    const body = JSON.parse(request?.body ?? "") as { text: string; blocks: { text: { type: string } }[] };
    expect(body.text).toContain("Approval waiting: web-app / Prod / Approve");
    expect(body.blocks[0]?.text.type).toBe("mrkdwn");
    expect(await deliveryRow(id)).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect(await attemptsOf(id)).toMatchObject([{ statusCode: 200, error: null }]);
  });

  it("signs the json format so the receiver can verify it, and never sends the secret", async () => {
    const id = await delivery(await webhook("json", `${receiver.url}/json`));
    await deliver.deliverDue(options(t0), 10);
    const [request] = receiver.received;
    const raw = request?.body ?? "";
    const expected = `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`;
    expect(request?.headers["x-stageboard-signature-256"]).toBe(expected);
    expect(request?.headers["x-stageboard-timestamp"]).toBe(String(t0.getTime() / 1000));
    expect(JSON.parse(raw)).toMatchObject({ delivery: id, event: "approval.waiting", repository: "acme/web-app" });
    expect(JSON.stringify(request)).not.toContain(SECRET);
  });

  it("retries after 500s, on the backoff schedule only, then succeeds with the same delivery id", async () => {
    const id = await delivery(await webhook("json", `${receiver.url}/flaky`));
    receiver.answer({ status: 500, body: "boom" }, { status: 503 });
    expect(await deliver.deliverDue(options(t0), 10)).toBe(1);
    expect(await deliveryRow(id)).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500: boom" });
    // Not due again until the first delay has passed.
    expect(await deliver.deliverDue(options(later(29_000)), 10)).toBe(0);
    expect(await deliver.deliverDue(options(later(30_000)), 10)).toBe(1);
    expect(await deliver.deliverDue(options(later(30_000 + 119_000)), 10)).toBe(0);
    expect(await deliver.deliverDue(options(later(150_000)), 10)).toBe(1);
    expect(await deliveryRow(id)).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    expect((await attemptsOf(id)).map((a) => a.statusCode)).toEqual([500, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.headers["x-stageboard-delivery"]))).toEqual(new Set([id]));
  });

  it("gives up after 5 attempts", async () => {
    const id = await delivery(await webhook("slack", `${receiver.url}/down`));
    receiver.answer(...Array.from({ length: 5 }, () => ({ status: 502 })));
    let at = t0.getTime();
    for (let i = 0; i < 5; i++) {
      expect(await deliver.deliverDue(options(new Date(at)), 10)).toBe(1);
      at += 30 * 60_000;
    }
    expect(await deliveryRow(id)).toMatchObject({ status: "failed", attempts: 5, lastError: "HTTP 502" });
    expect(await deliver.deliverDue(options(new Date(at + 86_400_000)), 10)).toBe(0);
  });

  it("does not retry a 400, and does not follow a redirect", async () => {
    const rejected = await delivery(await webhook("slack", `${receiver.url}/bad`));
    receiver.answer({ status: 400, body: "invalid_payload" });
    await deliver.deliverDue(options(t0), 10);
    expect(await deliveryRow(rejected)).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 400 });
    expect(await deliver.deliverDue(options(later(86_400_000)), 10)).toBe(0);

    receiver.received.length = 0;
    const redirected = await delivery(await webhook("slack", `${receiver.url}/moved`));
    receiver.answer({ status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    await deliver.deliverDue(options(t0), 10);
    expect(await deliveryRow(redirected)).toMatchObject({ status: "failed", lastError: /redirects are not followed/ });
    expect(receiver.received.map((r) => r.path)).toEqual(["/moved"]);
  });

  it("gives a receiver that does not answer a deadline, and tries again later", async () => {
    const id = await delivery(await webhook("slack", `${receiver.url}/slow`));
    receiver.answer({ status: 200, delayMs: 3_000 });
    await deliver.deliverDue(options(t0, { timeoutMs: 200 }), 10);
    expect(await deliveryRow(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "No answer within 200 ms",
    });
  });

  it("never puts the URL (a Slack secret) in what it records", async () => {
    const closed = await startReceiver();
    await closed.stop();
    const id = await delivery(await webhook("slack", `${closed.url}/services/T0/B0/TOPSECRET`));
    await deliver.deliverDue(options(t0), 10);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "pending", lastError: /Could not reach the receiver/ });
    expect(JSON.stringify([row, await attemptsOf(id)])).not.toContain("TOPSECRET");
  });

  it("refuses private and loopback receivers unless allowed, before connecting", async () => {
    const id = await delivery(await webhook("slack", `${receiver.url}/private`));
    await deliver.deliverDue(options(t0, { policy: { allowPrivate: false } }), 10);
    expect(await deliveryRow(id)).toMatchObject({
      status: "failed",
      lastError: /Not sent: the URL must be an https URL/,
    });
    const https = await http.postWebhook({
      url: `https://127.0.0.1:${receiver.port}/x`,
      body: "{}",
      headers: {},
      policy: { allowPrivate: false },
    });
    expect(https).toMatchObject({ kind: "failed", refused: true, error: /127\.0\.0\.1 is a loopback address/ });
    expect(receiver.received).toEqual([]);
    // A name is judged by what it resolves to, at connect time.
    const lookup = http.guardedLookup("https:", { allowPrivate: false });
    const error = await new Promise<unknown>((resolve) => lookup("localhost", {}, (err) => resolve(err)));
    expect(String(error)).toMatch(/localhost resolves to .*loopback address/);
    const allowed = http.guardedLookup("https:", { allowPrivate: true });
    const address = await new Promise<unknown>((resolve) => allowed("localhost", {}, (_err, a) => resolve(a)));
    expect(String(address)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it("shares the queue between senders: each delivery is sent once", async () => {
    const hook = await webhook("slack", `${receiver.url}/shared`);
    const ids = await Promise.all(Array.from({ length: 8 }, () => delivery(hook)));
    const counts = await Promise.all([1, 2, 3].map(() => deliver.deliverDue(options(t0), 4)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(receiver.received.filter((r) => r.path === "/shared")).toHaveLength(8);
    for (const id of ids) expect((await deliveryRow(id)).attempts).toBe(1);
  });
});
