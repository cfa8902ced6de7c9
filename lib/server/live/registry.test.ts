import { afterEach, describe, expect, it, vi } from "vitest";
import type { LiveChange, LiveCursor } from "./live-event";
import { LiveRegistry, type LiveFeed, type LiveSettings, type StreamAccess } from "./registry";

vi.mock("server-only", () => ({}));

const change = (txid: number, id: number, pipelineId: string, status = "InProgress"): LiveChange => ({
  txid: BigInt(txid),
  id: BigInt(id),
  pipelineId,
  executionId: "e-1",
  entity: "execution",
  name: null,
  after: { status, message: "a commit message that must never be sent" },
});

function fakeFeed(rows: LiveChange[] = [], pipelines = ["p-a", "p-b"], pruned: LiveChange[] = []) {
  const subscribers = new Set<(changes: LiveChange[]) => void>();
  const sessionEnds = new Set<(hash: string | undefined) => void>();
  const known = new Set(pipelines);
  const reads: { after: LiveCursor; limit: number; pipelineIds: string[] }[] = [];
  const sessions = new Set(["hash-1", "hash-2", "mine", "other"]);
  // The subscription has delivered every row so far; the head is past them.
  const head = (): LiveCursor => ({ txid: (rows.at(-1)?.txid ?? 0n) + 1n, id: 0n });
  const feed: LiveFeed = {
    subscribe: (callback) => {
      subscribers.add(callback);
      return () => subscribers.delete(callback);
    },
    onSessionEnd: (callback) => {
      sessionEnds.add(callback);
      return () => sessionEnds.delete(callback);
    },
    readAfter: (input) => {
      reads.push(input);
      const after = (c: LiveChange) =>
        c.txid > input.after.txid || (c.txid === input.after.txid && c.id > input.after.id);
      const changes = rows.filter((c) => after(c) && input.pipelineIds.includes(c.pipelineId)).slice(0, input.limit);
      const last = changes.at(-1);
      return Promise.resolve({ changes, cursor: changes.length < input.limit || !last ? head() : last });
    },
    head: () => Promise.resolve(head()),
    prunedThrough: () => {
      const last = pruned.at(-1);
      return Promise.resolve(last ? { txid: last.txid, id: last.id } : null);
    },
    position: () => head(),
    liveSessions: (hashes) => Promise.resolve(new Set(hashes.filter((hash) => sessions.has(hash)))),
    pipelineIds: () => Promise.resolve(new Set(known)),
  };
  return {
    feed,
    reads,
    known,
    subscribers,
    publish(changes: LiveChange[]) {
      for (const c of changes) if (!rows.some((r) => r.txid === c.txid && r.id === c.id)) rows.push(c);
      for (const callback of subscribers) callback(changes);
    },
    endSession(hash: string, options: { payload: boolean } = { payload: true }) {
      sessions.delete(hash);
      for (const callback of sessionEnds) callback(options.payload ? hash : undefined);
    },
  };
}

const SETTINGS: LiveSettings = { heartbeatMs: 15_000, refreshMs: 60_000, catchUpLimit: 3, retryMs: 3_000 };
const HOUR = 3_600_000;

function client(
  registry: LiveRegistry,
  options: { visible?: string[]; resumeAfter?: string; tokenHash?: string; endsAt?: number } = {},
) {
  const chunks: string[] = [];
  let ended = false;
  let access: StreamAccess = {
    visible: new Set(options.visible ?? ["p-a"]),
    endsAt: options.endsAt ?? Date.now() + HOUR,
  };
  const loadAccess = vi.fn(() => Promise.resolve<StreamAccess | null>(access));
  const handle = registry.open({
    tokenHash: options.tokenHash ?? "hash-1",
    access,
    loadAccess,
    resumeAfter: options.resumeAfter ?? "0-0",
    write: (chunk) => chunks.push(chunk),
    end: () => {
      ended = true;
    },
  });
  return {
    handle,
    loadAccess,
    setAccess(next: StreamAccess) {
      access = next;
    },
    text: () => chunks.join(""),
    events: () =>
      chunks
        .join("")
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
    ended: () => ended,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("LiveRegistry", () => {
  it("sends each stream only the changes of pipelines its viewer may see, as minimal change events", async () => {
    const f = fakeFeed();
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const ada = client(registry, { visible: ["p-a"] });
    const linus = client(registry, { visible: ["p-b"] });
    await vi.waitFor(() => expect(ada.text()).toContain("retry: 3000"));
    f.publish([change(10, 1, "p-a"), change(10, 2, "p-b", "Failed")]);
    await vi.waitFor(() => expect(ada.events()).toHaveLength(1));
    await vi.waitFor(() => expect(linus.events()).toHaveLength(1));
    expect(ada.events()[0]).toEqual({
      id: "10-1",
      event: "change",
      data: { pipelineId: "p-a", executionId: "e-1", entity: "execution", name: null, status: "InProgress" },
    });
    expect(linus.events()[0]?.data).toMatchObject({ pipelineId: "p-b", status: "Failed" });
    expect(ada.text()).not.toContain("p-b");
    expect(ada.text()).not.toContain("commit message");
  });

  it("serves every stream from one feed subscription, dropped when the last stream closes", async () => {
    const f = fakeFeed();
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const streams = Array.from({ length: 20 }, () => client(registry));
    expect(f.subscribers.size).toBe(1);
    f.publish([change(10, 1, "p-a")]);
    for (const s of streams) await vi.waitFor(() => expect(s.events()).toHaveLength(1));
    for (const s of streams) s.handle.close();
    expect(registry.size).toBe(0);
    expect(f.subscribers.size).toBe(0);
  });

  it("resumes after Last-Event-ID with what the stream missed, then continues live without repeating", async () => {
    const f = fakeFeed([change(5, 1, "p-a"), change(6, 2, "p-a"), change(6, 3, "p-b"), change(7, 4, "p-a")]);
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const ada = client(registry, { resumeAfter: "5-1" });
    // A batch the tail delivers while the catch-up is read holds a row the catch-up also returns.
    f.publish([change(7, 4, "p-a"), change(8, 5, "p-a")]);
    await vi.waitFor(() => expect(ada.events().map((e) => e.id)).toEqual(["6-2", "7-4", "8-5"]));
    expect(f.reads[0]).toMatchObject({ after: { txid: 5n, id: 1n }, pipelineIds: ["p-a"] });
  });

  it("answers a cursor too far behind, one this feed never handed out, or garbage, with one reset", async () => {
    const rows = [
      change(5, 1, "p-a"),
      change(6, 2, "p-a"),
      change(7, 3, "p-a"),
      change(8, 4, "p-a"),
      change(9, 5, "p-a"),
    ];
    const registry = new LiveRegistry(fakeFeed(rows).feed, SETTINGS);
    const behind = client(registry, { resumeAfter: "5-1" });
    const future = client(registry, { resumeAfter: "99-1" });
    const garbage = client(registry, { resumeAfter: "not-a-cursor" });
    for (const s of [behind, future, garbage])
      await vi.waitFor(() => expect(s.events()).toEqual([{ id: "10-0", event: "reset", data: {} }]));
    const near = client(registry, { resumeAfter: "7-3" });
    await vi.waitFor(() => expect(near.events().map((e) => e.event)).toEqual(["change", "change"]));
  });

  it("resets a resume from before the latest pruned change: the pruned ones after it cannot be replayed", async () => {
    const kept = [change(7, 3, "p-a"), change(8, 4, "p-a")];
    // 5-1 and 6-2 were pruned: a client at 5-1 missed 6-2, which no replay can give it.
    const registry = new LiveRegistry(
      fakeFeed(kept, ["p-a", "p-b"], [change(5, 1, "p-a"), change(6, 2, "p-a")]).feed,
      SETTINGS,
    );
    const away = client(registry, { resumeAfter: "5-1" });
    await vi.waitFor(() => expect(away.events()).toEqual([{ id: "9-0", event: "reset", data: {} }]));
    // A client at or past the latest pruned change has missed nothing pruned and gets the rest replayed.
    const near = client(registry, { resumeAfter: "6-2" });
    await vi.waitFor(() => expect(near.events().map((e) => e.id)).toEqual(["7-3", "8-4"]));
  });

  it("sends a heartbeat comment every interval", async () => {
    vi.useFakeTimers();
    const registry = new LiveRegistry(fakeFeed().feed, SETTINGS);
    const ada = client(registry);
    expect(ada.text()).not.toContain(": heartbeat");
    await vi.advanceTimersByTimeAsync(15_000);
    expect(ada.text().match(/: heartbeat\n\n/g)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(ada.text().match(/: heartbeat\n\n/g)).toHaveLength(2);
  });

  it("closes the streams of a session that is deleted (sign-out), and only those", () => {
    const f = fakeFeed();
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const mine = client(registry, { tokenHash: "mine" });
    const other = client(registry, { tokenHash: "other" });
    f.endSession("mine");
    expect(mine.ended()).toBe(true);
    expect(mine.events().at(-1)).toEqual({ id: undefined, event: "end", data: { reason: "session-ended" } });
    expect(other.ended()).toBe(false);
    expect(registry.size).toBe(1);
  });

  it("on a session signal without a payload (polling), closes the streams whose session is gone", async () => {
    const f = fakeFeed();
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const mine = client(registry, { tokenHash: "mine" });
    const other = client(registry, { tokenHash: "other" });
    f.endSession("mine", { payload: false });
    await vi.waitFor(() => expect(mine.ended()).toBe(true));
    expect(other.ended()).toBe(false);
  });

  it("keeps a stream that opens while sessions are being checked", async () => {
    const f = fakeFeed();
    let answer: (alive: ReadonlySet<string>) => void = () => undefined;
    f.feed.liveSessions = () => new Promise((resolve) => (answer = resolve));
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const mine = client(registry, { tokenHash: "mine" });
    f.endSession("other", { payload: false });
    const late = client(registry, { tokenHash: "hash-2" });
    answer(new Set(["mine"]));
    await vi.waitFor(() => expect(registry.size).toBe(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(mine.ended()).toBe(false);
    expect(late.ended()).toBe(false);
  });

  it("closes a stream when its session expires, unless the session was extended meanwhile", async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const registry = new LiveRegistry(fakeFeed().feed, SETTINGS);
    const expiring = client(registry, { endsAt: start + 30_000 });
    const extended = client(registry, { endsAt: start + 30_000, tokenHash: "hash-2" });
    extended.setAccess({ visible: new Set(["p-a"]), endsAt: start + HOUR });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(expiring.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(expiring.ended()).toBe(true);
    expect(expiring.events().at(-1)?.event).toBe("end");
    expect(extended.ended()).toBe(false);
  });

  it("closes a stream whose session a periodic refresh finds gone", async () => {
    vi.useFakeTimers();
    const registry = new LiveRegistry(fakeFeed().feed, SETTINGS);
    const ada = client(registry);
    ada.loadAccess.mockResolvedValue(null);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ada.ended()).toBe(true);
  });

  it("reads the streams' access again a few at a time, not all at once", async () => {
    vi.useFakeTimers();
    const registry = new LiveRegistry(fakeFeed().feed, SETTINGS);
    const streams = Array.from({ length: 10 }, () => client(registry));
    let running = 0;
    let most = 0;
    for (const s of streams)
      s.loadAccess.mockImplementation(async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        return { visible: new Set(["p-a"]), endsAt: Date.now() + HOUR };
      });
    await vi.advanceTimersByTimeAsync(60_500);
    for (const s of streams) expect(s.loadAccess).toHaveBeenCalled();
    expect(most).toBeLessThanOrEqual(3);
  });

  it("reads access again before delivering a change to a pipeline not seen yet", async () => {
    const f = fakeFeed();
    const registry = new LiveRegistry(f.feed, SETTINGS);
    const ada = client(registry, { visible: ["p-a"] });
    const linus = client(registry, { visible: ["p-b"], tokenHash: "hash-2" });
    await vi.waitFor(() => expect(ada.loadAccess).toHaveBeenCalledTimes(1));
    f.known.add("p-new");
    ada.setAccess({ visible: new Set(["p-a", "p-new"]), endsAt: Date.now() + HOUR });
    f.publish([change(20, 1, "p-new")]);
    await vi.waitFor(() => expect(ada.events().map((e) => e.data)).toMatchObject([{ pipelineId: "p-new" }]));
    expect(linus.loadAccess).toHaveBeenCalledTimes(2);
    expect(linus.text()).not.toContain("p-new");
  });
});
