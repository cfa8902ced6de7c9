// How much of GitHub's compare of two commits Stageboard reads. Asked without paging, GitHub answers at most
// 250 commits (the newest); asked for pages (`per_page` up to 100, `page` from 1) it lists every commit, oldest
// first, and counts them all in `total_commits` on each page. Stageboard reads pages until it has them all
// or MAX_CHANGE_COMMITS of them: past that the authors of the rest stay unknown, and the self-approval rule
// refuses rather than approve blind. Pure.

export const COMPARE_PAGE_SIZE = 100;
/** The most commits of one change read for their authors (ten pages). */
export const MAX_CHANGE_COMMITS = 1_000;

export interface CompareProgress {
  /** Pages read so far. */
  pages: number;
  /** Commits those pages held. */
  commits: number;
  /** `total_commits` as GitHub last said. */
  total: number;
  /** Commits on the last page read. */
  lastPageSize: number;
}

/** The page to ask for next, or null when nothing more is to be read. */
export function nextComparePage(progress: CompareProgress): number | null {
  if (progress.pages === 0) return 1;
  // A short page is the last whatever total_commits said (the range cannot grow: both ends are SHAs).
  if (progress.lastPageSize < COMPARE_PAGE_SIZE) return null;
  if (progress.commits >= Math.min(progress.total, MAX_CHANGE_COMMITS)) return null;
  return progress.pages + 1;
}

/** The commits kept for a change, and how many it has in all (never fewer than kept). */
export function keptCommits<T>(read: readonly T[], total: number): { commits: T[]; totalCommits: number } {
  const commits = read.slice(0, MAX_CHANGE_COMMITS);
  return { commits, totalCommits: Math.max(total, read.length) };
}
