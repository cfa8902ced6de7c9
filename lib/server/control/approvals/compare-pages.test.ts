import { describe, expect, it } from "vitest";
import { keptCommits, nextComparePage, type CompareProgress } from "./compare-pages";

/** The pages read for a change of `total` commits, GitHub answering 100 a page (the last one short). */
function pagesFor(total: number): number[] {
  const asked: number[] = [];
  let progress: CompareProgress = { pages: 0, commits: 0, total: 0, lastPageSize: 0 };
  for (let page = nextComparePage(progress); page !== null; page = nextComparePage(progress)) {
    asked.push(page);
    const size = Math.max(0, Math.min(100, total - (page - 1) * 100));
    progress = { pages: page, commits: progress.commits + size, total, lastPageSize: size };
  }
  return asked;
}

/** A change's length, and the pages read for it. */
const LENGTHS: [number, number[]][] = [
  [0, [1]],
  [1, [1]],
  [99, [1]],
  [100, [1]],
  [101, [1, 2]],
  [150, [1, 2]],
  [250, [1, 2, 3]],
  [1_000, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  [1_234, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
];

describe("reading a comparison's pages", () => {
  it.each(LENGTHS)("a change of %i commits is read in pages %j", (total, pages) => {
    expect(pagesFor(total)).toEqual(pages);
  });

  it("stops at a short page even when total_commits promised more", () => {
    expect(nextComparePage({ pages: 3, commits: 240, total: 500, lastPageSize: 40 })).toBeNull();
    expect(nextComparePage({ pages: 3, commits: 300, total: 500, lastPageSize: 100 })).toBe(4);
  });

  it("keeps at most 1,000 commits, and the count of all of them", () => {
    const read = Array.from({ length: 1_100 }, (_, i) => i);
    expect(keptCommits(read, 1_234)).toEqual({ commits: read.slice(0, 1_000), totalCommits: 1_234 });
    // A count below what was read (GitHub's and the pages disagreeing) never hides a commit.
    expect(keptCommits([1, 2, 3], 2)).toEqual({ commits: [1, 2, 3], totalCommits: 3 });
  });
});
