import { describe, expect, it } from "vitest";
import { judgeGate, lostDeliveries, type OracleCommit } from "./gate-oracle";
import { MIN_GAP_MS, isGreen, lastCheckMs, planCommits } from "./gate-plan";

const commit = (order: number, green: boolean, checksDoneAt = 1_000 * (order + 1)): OracleCommit => ({
  pipeline: "p",
  sha: `sha${order}`,
  order,
  green,
  checksDoneAt,
});

describe("judgeGate", () => {
  it("counts a start before the last check completed, for a failed commit and for an unknown one as false", () => {
    const commits = [commit(0, true, 1_000), commit(1, false, 2_000)];
    const verdict = judgeGate(commits, [
      { pipeline: "p", sha: "sha0", at: 999 },
      { pipeline: "p", sha: "sha1", at: 5_000 },
      { pipeline: "p", sha: "nope", at: 5_000 },
    ]);
    expect(verdict.falseStarts).toBe(3);
  });

  it("lets newest-only skip a green commit for a newer release, and misses one nothing newer released", () => {
    const commits = [commit(0, true), commit(1, true), commit(2, false), commit(3, true)];
    const verdict = judgeGate(commits, [{ pipeline: "p", sha: "sha1", at: 2_300 }]);
    expect(verdict.missedReleases).toBe(1); // sha3: green, nothing at or after it released
    expect(verdict.released).toBe(1);
    expect(verdict.greenCommits).toBe(3);
    expect(verdict.latenciesMs).toEqual([300]);
  });

  it("counts every start per released commit and an older release after a newer one", () => {
    const commits = [commit(0, true), commit(1, true)];
    const verdict = judgeGate(commits, [
      { pipeline: "p", sha: "sha1", at: 2_100 },
      { pipeline: "p", sha: "sha1", at: 2_200 },
      { pipeline: "p", sha: "sha0", at: 2_500 },
    ]);
    expect(verdict.startsPerReleasedCommit).toBe(1.5);
    expect(verdict.outOfOrder).toBe(1);
    expect(verdict.missedReleases).toBe(0);
    expect(verdict.falseStarts).toBe(0);
  });

  it("keeps pipelines apart", () => {
    const commits = [commit(0, true), { ...commit(0, true), pipeline: "q" }];
    const verdict = judgeGate(commits, [{ pipeline: "q", sha: "sha0", at: 1_500 }]);
    expect(verdict.missedReleases).toBe(1);
  });
});

describe("lostDeliveries", () => {
  it("names each sent delivery that was never finished, once", () => {
    expect(lostDeliveries(["a", "b", "b", "c"], new Set(["a"]))).toEqual(["b", "c"]);
  });
});

describe("planCommits", () => {
  const options = { pipelines: 4, commits: 40, seed: 7 };

  it("is the same plan for the same seed, and another for another", () => {
    expect(planCommits(options)).toEqual(planCommits(options));
    expect(planCommits({ ...options, seed: 8 })).not.toEqual(planCommits(options));
  });

  it("spaces each pipeline's pushes so their commit times keep their order, with distinct commits", () => {
    const plan = planCommits(options);
    expect(new Set(plan.map((c) => c.sha)).size).toBe(40);
    for (let p = 0; p < 4; p++) {
      const times = plan.filter((c) => c.pipeline === p).map((c) => c.atMs);
      expect(times).toHaveLength(10);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_GAP_MS);
    }
  });

  it("makes some commits fail, most pass, and says when each one's last check completes", () => {
    const plan = planCommits({ ...options, commits: 400 });
    const green = plan.filter(isGreen).length;
    expect(green).toBeGreaterThan(200);
    expect(green).toBeLessThan(400);
    const first = plan[0]!;
    expect(lastCheckMs(first)).toBe(Math.max(...first.checks.map((c) => c.afterMs)));
  });
});
