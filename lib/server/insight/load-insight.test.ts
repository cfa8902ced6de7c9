import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactQuantileMs } from "@/lib/insight/buckets";
import type { Viewer } from "@/lib/server/session";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { insightOnce } from "./rollup/consumer";
import { loadInsight } from "./load-insight";
import { at, plus, seedExecution, seedPipeline } from "./testing/seed";

// The figures an insight page shows, read from rollups the consumer built from a seeded history, checked against
// values computed here from that history; and the overview's visibility rule.
let t: TestDatabase;
const durations = [12, 15, 20, 22, 25, 31, 40, 41, 44, 60];

beforeAll(async () => {
  t = await createTestDatabase();
  await insightOnce(t.db);
  const repo = await t.db.repository.create({
    data: { fullName: "acme/web", owner: "acme", name: "web", githubId: 101n },
  });
  await seedPipeline(t.db, "web", ["Build", "Prod"]);
  await t.db.pipeline.update({ where: { id: "web" }, data: { repositoryId: repo.id } });
  await seedPipeline(t.db, "hidden", ["Prod"]);
  for (const [i, minutes] of durations.entries()) {
    const start = at(`2026-11-${String(10 + i).padStart(2, "0")}T08:00:00Z`);
    const failed = i === 3;
    await seedExecution(t.db, "web", {
      executionId: `w${i}`,
      status: failed ? "Failed" : "Succeeded",
      start,
      end: plus(start, minutes),
      stages: [
        { name: "Build", status: "Succeeded", start, end: plus(start, 5) },
        { name: "Prod", status: failed ? "Failed" : "Succeeded", start: plus(start, 5), end: plus(start, minutes) },
      ],
    });
  }
  await seedExecution(t.db, "hidden", {
    executionId: "h1",
    status: "Succeeded",
    start: at("2026-11-12T08:00:00Z"),
    end: at("2026-11-12T09:00:00Z"),
    stages: [{ name: "Prod", status: "Succeeded", start: at("2026-11-12T08:00:00Z"), end: at("2026-11-12T09:00:00Z") }],
  });
  await insightOnce(t.db);
});
afterAll(async () => t?.drop());

const viewer = (ids: [string, bigint][], isAdmin = false): Viewer => ({
  userId: "u",
  login: "u",
  name: null,
  image: null,
  isAdmin,
  repositories: new Map(ids.map(([n]) => [n, "read" as const])),
  repositoryIds: new Map(ids),
  fetchedAt: new Date(),
  accessError: null,
});
const period = { from: at("2026-11-01T00:00:00Z"), to: at("2026-12-01T00:00:00Z") };

describe("loadInsight", () => {
  it("reads deployment frequency, change fail rate and durations from the rollups", async () => {
    const insight = await loadInsight(t.db, viewer([["acme/web", 101n]]), { kind: "pipeline", id: "web" }, period);
    expect(insight.dora.deployments).toBe(9);
    expect(insight.dora.changeFailRate.rate).toBeCloseTo(1 / 10);
    expect(insight.dora.recovery.n).toBe(1);
    expect(insight.dora.recovery.p50).toBe(24 * 3_600_000 + (25 - 22) * 60_000);
    const whole = insight.rows.find((r) => r.stageName === "" && r.actionName === "")!;
    const succeeded = durations.filter((_, i) => i !== 3).map((m) => m * 60_000);
    expect(whole.succeeded).toBe(9);
    expect(whole.failed).toBe(1);
    expect(
      Math.abs(whole.p50! - exactQuantileMs(succeeded, 0.5)!) / exactQuantileMs(succeeded, 0.5)!,
    ).toBeLessThanOrEqual(0.02);
    expect(
      Math.abs(whole.p90! - exactQuantileMs(succeeded, 0.9)!) / exactQuantileMs(succeeded, 0.9)!,
    ).toBeLessThanOrEqual(0.02);
    expect(insight.perDay.filter((d) => d.n > 0)).toHaveLength(9);
    expect(insight.previousDora.deployments).toBe(0);
  });

  it("follows the overview's visibility: another repository's reader and a non-admin see nothing of these", async () => {
    const everything = await loadInsight(t.db, viewer([["acme/web", 101n]]), { kind: "all" }, period);
    expect(everything.dora.deployments).toBe(9);
    expect(everything.pipelines).toBe(1);
    const stranger = await loadInsight(t.db, viewer([["globex/shop", 202n]]), { kind: "all" }, period);
    expect(stranger.dora.deployments).toBe(0);
    expect(stranger.rows).toEqual([]);
    const admin = await loadInsight(t.db, viewer([["acme/web", 101n]], true), { kind: "all" }, period);
    expect(admin.dora.deployments).toBe(10);
    const repo = await loadInsight(
      t.db,
      viewer([["acme/web", 101n]]),
      { kind: "repository", fullName: "acme/web" },
      period,
    );
    expect(repo.rows.map((r) => r.label)).toEqual(["web"]);
  });
});
