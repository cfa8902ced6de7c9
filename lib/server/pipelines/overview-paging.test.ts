import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERVIEW_RENDER_LIMIT } from "@/lib/pipelines/schemas";
import type { Viewer } from "@/lib/server/session";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { getOverview, type Overview } from "./get-overview";

// The overview in pages on a fleet larger than one page, against a real Postgres: every pipeline is on
// exactly one page, pages continue across the "needs attention" section, and the search filters every
// pipeline (not only one page's) on the server.
const PIPELINES = 2 * OVERVIEW_RENDER_LIMIT + 37;
const NOW = new Date("2026-06-01T12:00:00Z");
const viewer: Viewer = {
  userId: "u1",
  login: "ada",
  name: null,
  image: null,
  isAdmin: false,
  fetchedAt: NOW,
  accessError: null,
  repositories: new Map([["acme/fleet", "read" as const]]),
  repositoryIds: new Map([["acme/fleet", 501n]]),
};

let tdb: TestDatabase;
const names = (o: Overview) => [...o.attention, ...o.rest].flatMap((g) => g.pipelines.map((p) => p.name));

beforeAll(async () => {
  tdb = await createTestDatabase();
  const db = tdb.db;
  await db.target.create({ data: { id: "t1", accountId: "111111111111", region: "eu-west-1", lastSuccessAt: NOW } });
  const repo = await db.repository.create({
    data: { fullName: "acme/fleet", owner: "acme", name: "fleet", githubId: 501n },
  });
  await db.pipeline.createMany({
    data: Array.from({ length: PIPELINES }, (_, i) => ({
      targetId: "t1",
      name: `svc-${String(i).padStart(4, "0")}`,
      repositoryId: repo.id,
      version: 1,
      // One in ten failed: they lead, as "needs attention".
      latestStatus: i % 10 === 0 ? "Failed" : "Succeeded",
      latestStartTime: new Date(NOW.getTime() - i * 60_000),
    })),
  });
});
afterAll(async () => tdb?.drop());

describe("getOverview in pages", () => {
  it("puts every pipeline on exactly one page, attention first, and says where each page starts", async () => {
    const pages: Overview[] = [];
    for (let page = 1; page <= 3; page++) pages.push(await getOverview(viewer, { page }, { db: tdb.db, now: NOW }));
    expect(pages.map((p) => [p.page, p.pageCount, p.firstRow, p.rendered, p.shown])).toEqual([
      [1, 3, 1, OVERVIEW_RENDER_LIMIT, PIPELINES],
      [2, 3, OVERVIEW_RENDER_LIMIT + 1, OVERVIEW_RENDER_LIMIT, PIPELINES],
      [3, 3, 2 * OVERVIEW_RENDER_LIMIT + 1, 37, PIPELINES],
    ]);
    const seen = pages.flatMap(names);
    expect(seen).toHaveLength(PIPELINES);
    expect(new Set(seen).size).toBe(PIPELINES);
    // The failed ones lead page 1 (their group needs attention, and within it they come first); the rest
    // continue in the same order over the pages.
    const failed = Math.ceil(PIPELINES / 10);
    const firstPage = [...(pages[0]?.attention ?? []), ...(pages[0]?.rest ?? [])].flatMap((g) => g.pipelines);
    expect(firstPage.slice(0, failed).every((p) => p.latestStatus === "Failed")).toBe(true);
    expect(pages.slice(1).flatMap((p) => [...p.attention, ...p.rest].flatMap((g) => g.pipelines))).toSatisfy(
      (rows: { latestStatus: string | null }[]) => rows.every((r) => r.latestStatus === "Succeeded"),
    );
  });

  it("shows the last page for a page past the end, and every row at once only in process", async () => {
    const past = await getOverview(viewer, { page: 99 }, { db: tdb.db, now: NOW });
    expect([past.page, past.firstRow, past.rendered]).toEqual([3, 2 * OVERVIEW_RENDER_LIMIT + 1, 37]);
    const all = await getOverview(viewer, { all: "1" }, { db: tdb.db, now: NOW });
    expect([all.page, all.pageCount, all.rendered]).toEqual([1, 1, PIPELINES]);
  });

  it("searches all pipelines on the server, whichever page they would be on", async () => {
    const last = names(await getOverview(viewer, { page: 3 }, { db: tdb.db, now: NOW })).at(-1) ?? "";
    const found = await getOverview(viewer, { q: last }, { db: tdb.db, now: NOW });
    expect(names(found)).toEqual([last]);
    expect([found.shown, found.pageCount]).toEqual([1, 1]);
  });
});
