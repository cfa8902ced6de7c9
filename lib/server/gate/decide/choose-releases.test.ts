import { describe, expect, it } from "vitest";
import { chooseReleases, type GateCommitState, type GateCommitView } from "./choose-releases";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 10, minute));
const commits = (...states: GateCommitState[]): GateCommitView[] =>
  states.map((state, i) => ({ sha: `c${i + 1}`, pushedAt: at(i), state }));

describe("newest green only (the default)", () => {
  it("releases the newest green commit and skips the older ones as superseded by it", () => {
    expect(chooseReleases(commits("green", "waiting", "green", "waiting"), "newest")).toEqual({
      release: ["c3"],
      skip: [
        { sha: "c1", supersededBy: "c3" },
        { sha: "c2", supersededBy: "c3" },
      ],
    });
  });

  it("releases nothing while no commit is green", () => {
    expect(chooseReleases(commits("waiting", "blocked"), "newest")).toEqual({ release: [], skip: [] });
  });

  it("never releases a commit older than one already released, even once it turns green", () => {
    expect(chooseReleases(commits("green", "released", "waiting"), "newest")).toEqual({
      release: [],
      skip: [{ sha: "c1", supersededBy: "c2" }],
    });
  });

  it("does not release a commit twice", () => {
    expect(chooseReleases(commits("released"), "newest")).toEqual({ release: [], skip: [] });
  });

  it("orders by push time, not by the order rows are given", () => {
    const shuffled = [...commits("green", "green")].reverse();
    expect(chooseReleases(shuffled, "newest").release).toEqual(["c2"]);
  });
});

describe("each in order", () => {
  it("releases every green commit in push order up to the first one still waiting", () => {
    expect(chooseReleases(commits("green", "green", "waiting", "green"), "each")).toEqual({
      release: ["c1", "c2"],
      skip: [],
    });
  });

  it("passes over a failed commit without holding back the ones after it", () => {
    expect(chooseReleases(commits("blocked", "green"), "each")).toEqual({ release: ["c2"], skip: [] });
  });

  it("skips a failed commit once a newer one was released", () => {
    expect(chooseReleases(commits("blocked", "released", "green"), "each")).toEqual({
      release: ["c3"],
      skip: [{ sha: "c1", supersededBy: "c2" }],
    });
  });
});
