import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FeedListener as FeedListenerType } from "@/lib/server/feed/listener";
import type { LiveRegistry as LiveRegistryType } from "@/lib/server/live/registry";
import type { Viewer } from "@/lib/server/session";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as SessionViewerModule from "@/lib/server/auth/load-session-viewer";
import type * as OpenStreamModule from "./open-stream";

// Live streams against a real database: the change feed's triggers write the rows, the feed's one
// listener and tail read them, and every stream is served from those, whatever their number.
vi.mock("server-only", () => ({}));

const HOUR = 3_600_000;
let tdb: TestDatabase;
let listener: FeedListenerType;
let registry: LiveRegistryType;
let openLiveStream: typeof OpenStreamModule.openLiveStream;
let loadSessionViewer: typeof SessionViewerModule.loadSessionViewer;
let hash: (token: string) => string;
let userId = "";
let visibleId = "";
let hiddenId = "";

async function session(expires = new Date(Date.now() + HOUR), createdAt = new Date()): Promise<string> {
  const token = randomBytes(24).toString("hex");
  await tdb.db.session.create({ data: { tokenHash: hash(token), userId, expires, createdAt } });
  return token;
}

type OpenStream = {
  text(): string;
  events(): { id?: string; event?: string; data: unknown }[];
  closed(): boolean;
  abort(): void;
};

async function open(
  token: string,
  query: { pipeline?: string } = {},
  lastEventId: string | null = null,
): Promise<OpenStream> {
  const viewer = (await loadSessionViewer(tdb.db, token)) as Viewer;
  const controller = new AbortController();
  const response = await openLiveStream({
    db: tdb.db,
    registry,
    viewer,
    token,
    query,
    lastEventId,
    signal: controller.signal,
  });
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
  expect(response.headers.get("x-accel-buffering")).toBe("no");
  let text = "";
  let closed = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    closed = true;
  })();
  return {
    text: () => text,
    events: () =>
      text
        .split("\n\n")
        .filter((block) => block.includes("event: "))
        .map((block) => {
          const field = (name: string) =>
            block
              .split("\n")
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          return { id: field("id"), event: field("event"), data: JSON.parse(field("data") ?? "null") as unknown };
        }),
    closed: () => closed,
    abort: () => controller.abort(),
  };
}

const setStatus = (id: string, latestStatus: string) =>
  tdb.db.pipeline.update({ where: { id }, data: { latestStatus, latestExecutionId: `run-${latestStatus}` } });

const connections = async () => {
  const [row] = await tdb.db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return Number(row?.count ?? 0);
};

beforeAll(async () => {
  vi.stubEnv("GITHUB_URL", "http://127.0.0.1:9");
  vi.stubEnv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  const { FeedListener, FEED_CHANNEL } = await import("@/lib/server/feed/listener");
  const { FeedTail } = await import("@/lib/server/feed/tail");
  const { appLiveFeed } = await import("./app-live");
  const { LiveRegistry, LIVE_SETTINGS } = await import("./registry");
  ({ openLiveStream } = await import("./open-stream"));
  ({ loadSessionViewer } = await import("@/lib/server/auth/load-session-viewer"));
  hash = (await import("@/lib/server/auth/session-token")).hashSessionToken;
  tdb = await createTestDatabase();
  listener = new FeedListener({ connectionString: tdb.url, listen: true, pollMs: 60_000 });
  const signals = (channel: string, callback: (payload?: string) => void) => listener.on(channel, callback);
  const tail = new FeedTail({ db: tdb.db, signals: (callback) => signals(FEED_CHANNEL, callback) });
  registry = new LiveRegistry(appLiveFeed({ db: tdb.db, tail, signals }), { ...LIVE_SETTINGS, catchUpLimit: 5 });

  const { db } = tdb;
  await db.target.create({ data: { id: "t1", accountId: "111111111111", region: "eu-west-1" } });
  const web = await db.repository.create({
    data: { fullName: "acme/web", owner: "acme", name: "web", githubId: 101n },
  });
  const secret = await db.repository.create({
    data: { fullName: "other/secret", owner: "other", name: "secret", githubId: 103n },
  });
  visibleId = (
    await db.pipeline.create({ data: { targetId: "t1", name: "web-main", repositoryId: web.id, version: 1 } })
  ).id;
  hiddenId = (
    await db.pipeline.create({ data: { targetId: "t1", name: "secret-main", repositoryId: secret.id, version: 1 } })
  ).id;
  const user = await db.user.create({ data: { githubId: 7, login: "ada", reposFetchedAt: new Date() } });
  userId = user.id;
  await db.userRepository.create({ data: { userId, fullName: "acme/web", permission: "read", githubId: 101n } });
});

afterAll(async () => {
  registry?.closeAll();
  await listener?.stop();
  await tdb?.drop();
  vi.unstubAllEnvs();
});

describe("GET /api/stream against the change feed", () => {
  it("sends a stored status change of a visible pipeline, and nothing (not even the id) of a hidden one", async () => {
    const stream = await open(await session());
    await vi.waitFor(() => expect(stream.text()).toContain("retry: "));
    await setStatus(hiddenId, "Failed");
    await setStatus(visibleId, "InProgress");
    await vi.waitFor(() => expect(stream.events().some((e) => e.event === "change")).toBe(true), { timeout: 5_000 });
    const changes = stream.events().filter((e) => e.event === "change");
    expect(changes.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ pipelineId: visibleId, entity: "pipeline", status: "InProgress" }),
    );
    expect(changes[0]?.id).toMatch(/^\d+-\d+$/);
    expect(stream.text()).not.toContain(hiddenId);
    stream.abort();
  });

  it("resumes from Last-Event-ID with the changes made while it was closed", async () => {
    const token = await session();
    const first = await open(token, { pipeline: visibleId });
    await setStatus(visibleId, "Succeeded");
    await vi.waitFor(() => expect(first.events().filter((e) => e.event === "change").length).toBeGreaterThan(0), {
      timeout: 5_000,
    });
    const lastId = first.events().at(-1)!.id!;
    first.abort();
    await setStatus(visibleId, "Stopped");
    const resumed = await open(token, { pipeline: visibleId }, lastId);
    await vi.waitFor(
      () => expect(resumed.events().map((e) => e.data)).toContainEqual(expect.objectContaining({ status: "Stopped" })),
      { timeout: 5_000 },
    );
    expect(resumed.events().map((e) => e.data)).not.toContainEqual(expect.objectContaining({ status: "Succeeded" }));
    resumed.abort();
  });

  it("answers a cursor too far behind with one reset", async () => {
    const token = await session();
    const first = await open(token, { pipeline: visibleId });
    await setStatus(visibleId, "InProgress");
    await vi.waitFor(() => expect(first.events().length).toBeGreaterThan(0), { timeout: 5_000 });
    const lastId = first.events().at(-1)!.id!;
    first.abort();
    for (const status of ["Failed", "InProgress", "Succeeded", "InProgress", "Failed", "InProgress", "Succeeded"])
      await setStatus(visibleId, status);
    const behind = await open(token, { pipeline: visibleId }, lastId);
    await vi.waitFor(() => expect(behind.events().map((e) => e.event)).toEqual(["reset"]), { timeout: 5_000 });
    behind.abort();
  });

  it("closes the stream when its session is deleted (sign-out), with an end event", async () => {
    const token = await session();
    const stream = await open(token);
    await vi.waitFor(() => expect(stream.text()).toContain("retry: "));
    await tdb.db.session.deleteMany({ where: { tokenHash: hash(token) } });
    await vi.waitFor(() => expect(stream.closed()).toBe(true), { timeout: 5_000 });
    expect(stream.events().at(-1)).toMatchObject({ event: "end", data: { reason: "session-ended" } });
  });

  it("closes the stream when its session reaches the end of its lifetime", async () => {
    // Signed in so long ago that its absolute lifetime ends in 1.5 s: no use can extend it past that.
    const { SESSION_ABSOLUTE_MAX_AGE_S } = await import("@/lib/server/auth/session-policy");
    const createdAt = new Date(Date.now() - SESSION_ABSOLUTE_MAX_AGE_S * 1000 + 1_500);
    const stream = await open(await session(new Date(Date.now() + HOUR), createdAt));
    await vi.waitFor(() => expect(stream.closed()).toBe(true), { timeout: 8_000 });
    expect(stream.events().at(-1)).toMatchObject({ event: "end" });
  });

  it("holds no database connection per stream: 20 open streams, and one listener", async () => {
    const before = await connections();
    const streams = await Promise.all(Array.from({ length: 20 }, async () => open(await session())));
    await setStatus(visibleId, "Failed");
    for (const stream of streams)
      await vi.waitFor(() => expect(stream.events().some((e) => e.event === "change")).toBe(true), { timeout: 5_000 });
    // The test database's pool holds at most 5, the listener 1: nothing grows with the number of streams.
    expect(await connections()).toBeLessThanOrEqual(Math.max(before, 6));
    expect(registry.size).toBeGreaterThanOrEqual(20);
    for (const stream of streams) stream.abort();
  });
});
