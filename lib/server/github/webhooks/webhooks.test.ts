import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import { seedPipeline } from "@/lib/server/writeback/testing/pipeline-rows";
import { CLAIM_MS, processDeliveries } from "./process-deliveries";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook } from "./receive";

// The webhook receiver and the processing after it, on a real PostgreSQL: what GitHub is answered for each kind of
// request, that an accepted delivery is stored once however often it arrives, and that a push makes the pipelines
// watching its branch due at once and keeps them watched.
const SECRET = "webhook-test-secret";
const quiet = { warn: () => {}, error: () => {}, info: () => {} };

let database: TestDatabase;

const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
function headers(body: string, over: Record<string, string | null> = {}) {
  const all: Record<string, string | null> = {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": sign(body),
    ...over,
  };
  const h = new Headers();
  for (const [name, value] of Object.entries(all)) if (value !== null) h.set(name, value);
  return h;
}
const receive = (body: string, over: Record<string, string | null> = {}, secret: string | null = SECRET) =>
  receiveWebhook({ db: database.db, logger: quiet, secret, headers: headers(body, over), body });
const pushBody = (repository: string, ref: string) =>
  JSON.stringify({
    ref,
    before: "b".repeat(40),
    after: "a".repeat(40),
    created: false,
    deleted: false,
    forced: false,
    repository: { full_name: repository },
    installation: { id: 42 },
    commits: [{ id: "a".repeat(40), message: "fix: \u0000 in a message" }],
  });
const stored = () => database.db.gitHubDelivery.count();

beforeAll(async () => {
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  await seedPipeline(database.db, { pipelineId: "main-line", repository: "acme/web-app", name: "web-app" });
  await seedPipeline(database.db, { pipelineId: "releases", repository: "acme/web-app", name: "web-app-releases" });
  await seedPipeline(database.db, { pipelineId: "other", repository: "acme/api", name: "api" });
  await database.db.pipeline.update({ where: { id: "main-line" }, data: { sourceBranch: "main" } });
  await database.db.pipeline.update({
    where: { id: "releases" },
    data: {
      sourceBranch: "main",
      triggers: [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: { push: [{ branches: { includes: ["release/*"] } }] },
        },
      ],
    },
  });
  await database.db.pipeline.update({ where: { id: "other" }, data: { sourceBranch: "main" } });
  const far = new Date(Date.now() + 3_600_000);
  for (const pipelineId of ["main-line", "releases", "other"])
    await database.db.pipelineSync.create({ data: { pipelineId, nextSyncAt: far } });
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await database.db.gitHubDelivery.deleteMany();
});

describe("the webhook receiver", () => {
  it("stores a signed delivery once, however often GitHub (or a proxy) sends it", async () => {
    const body = pushBody("acme/web-app", "refs/heads/main");
    const id = randomUUID();
    expect(await receive(body, { "x-github-delivery": id })).toMatchObject({ status: 202, body: { accepted: true } });
    expect(await receive(body, { "x-github-delivery": id })).toMatchObject({ status: 200, body: { duplicate: true } });
    const row = await database.db.gitHubDelivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ event: "push", repository: "acme/web-app", installationId: 42n, state: "pending" });
    // PostgreSQL's jsonb holds no NUL: it is replaced, the rest of the payload kept.
    expect(JSON.stringify(row.payload)).toContain("fix: \ufffd in a message");
  });

  it("verifies GitHub's own test vector, then refuses a body that is not JSON", async () => {
    const secret = "It's a Secret to Everybody";
    const answer = await receive(
      "Hello, World!",
      { "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
      secret,
    );
    expect(answer).toMatchObject({ status: 400, body: { message: "The body is not JSON" } });
  });

  it("refuses what is not GitHub's, stores none of it, and says why", async () => {
    const body = pushBody("acme/web-app", "refs/heads/main");
    expect((await receive(body, { "x-hub-signature-256": sign(body, "another-secret") })).status).toBe(401);
    expect((await receive(body, { "x-hub-signature-256": sign(body).replace("sha256=", "sha1=") })).status).toBe(401);
    expect((await receive(`${body} `, { "x-hub-signature-256": sign(body) })).status).toBe(401); // other bytes
    expect(await receive(body, { "x-github-event": null })).toMatchObject({
      status: 400,
      body: { message: "Required headers missing: x-github-event" },
    });
    expect((await receive(body, { "x-github-delivery": "../../etc" })).status).toBe(400);
    expect((await receive(body, { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await receive("[1,2]", { "x-hub-signature-256": sign("[1,2]") })).status).toBe(400);
    const huge = "x".repeat(MAX_WEBHOOK_BODY_BYTES + 1);
    expect((await receive(huge, { "x-hub-signature-256": sign(huge) })).status).toBe(413);
    expect((await receive(body, {}, null)).status).toBe(404);
    expect(await stored()).toBe(0);
  });

  it("answers 503 when the database is down, so GitHub marks the delivery failed for redelivery", async () => {
    const body = pushBody("acme/web-app", "refs/heads/main");
    const broken = { $transaction: () => Promise.reject(new Error("connection refused")) } as never;
    const answer = await receiveWebhook({ db: broken, logger: quiet, secret: SECRET, headers: headers(body), body });
    expect(answer.status).toBe(503);
  });
});

describe("processing deliveries", () => {
  const due = async () =>
    Object.fromEntries(
      (
        await database.db.pipelineSync.findMany({
          select: { pipelineId: true, nextSyncAt: true, pushWatchUntil: true },
        })
      ).map((s) => [s.pipelineId, s]),
    );

  it("a push makes the pipelines watching its branch due within a second and watched for minutes; no others", async () => {
    await receive(pushBody("acme/web-app", "refs/heads/main"));
    const now = new Date();
    expect(await processDeliveries({ db: database.db, logger: quiet, now: () => now })).toMatchObject({ processed: 1 });
    const syncs = await due();
    expect(syncs["main-line"]?.nextSyncAt.getTime()).toBe(now.getTime() + 1_000);
    expect(syncs["main-line"]?.pushWatchUntil?.getTime()).toBe(now.getTime() + 180_000);
    // Its triggers watch release/* only; another repository's pipeline is not concerned.
    expect(syncs.releases?.pushWatchUntil).toBeNull();
    expect(syncs.other?.pushWatchUntil).toBeNull();
    expect((await database.db.gitHubDelivery.findFirstOrThrow()).state).toBe("done");

    await receive(pushBody("acme/web-app", "refs/heads/release/2.0"));
    const later = new Date();
    await processDeliveries({ db: database.db, logger: quiet, now: () => later });
    expect((await due()).releases?.pushWatchUntil?.getTime()).toBe(later.getTime() + 180_000);
  });

  it("keeps what no handler wants, or what concerns no pipeline, as ignored with the reason", async () => {
    await receive(JSON.stringify({ action: "created", check_run: {} }), { "x-github-event": "check_run" });
    await receive(pushBody("acme/unknown", "refs/heads/main"));
    await processDeliveries({ db: database.db, logger: quiet });
    const rows = await database.db.gitHubDelivery.findMany({ orderBy: { receivedAt: "asc" } });
    expect(rows.map((r) => [r.state, r.lastError])).toEqual([
      ["ignored", "check_run created"],
      ["ignored", "no pipeline watches acme/unknown@main"],
    ]);
  });

  it("a delivery whose process died after claiming it is taken up again once the claim expires", async () => {
    await receive(pushBody("acme/web-app", "refs/heads/main"));
    // A process claims it and is killed before processing: the claim is all that was written.
    const t0 = new Date();
    await database.db
      .$executeRaw`UPDATE "GitHubDelivery" SET attempts = 1, "nextAttemptAt" = ${new Date(t0.getTime() + CLAIM_MS)}`;
    expect((await processDeliveries({ db: database.db, logger: quiet, now: () => t0 })).processed).toBe(0);
    const later = new Date(t0.getTime() + CLAIM_MS);
    expect((await processDeliveries({ db: database.db, logger: quiet, now: () => later })).processed).toBe(1);
    expect(await database.db.gitHubDelivery.findFirstOrThrow()).toMatchObject({ state: "done", attempts: 2 });
  });

  it("two processes never handle one delivery twice", async () => {
    for (let i = 0; i < 20; i++) await receive(pushBody("acme/web-app", "refs/heads/main"));
    const [a, b] = await Promise.all([
      processDeliveries({ db: database.db, logger: quiet }),
      processDeliveries({ db: database.db, logger: quiet }),
    ]);
    expect(a.processed + b.processed).toBe(20);
    const rows = await database.db.gitHubDelivery.findMany();
    expect(rows.every((r) => r.state === "done" && r.attempts === 1)).toBe(true);
  });
});
