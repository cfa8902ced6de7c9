// Which of a pipeline's waiting commits the gate releases now, and which it gives up on (pure). Commits are taken
// in the order they were pushed. A commit older than one already released is never released: it would deploy older
// code over newer (its changes went out with the newer commit anyway), so it is skipped, whatever its checks say.
//
// - newest (the default): of the commits newer than the last release, the newest green one is released; the older
//   ones are skipped as superseded by it.
// - each: every commit is released in push order once it is green; one still waiting holds back those after it,
//   one that failed does not (it stays blocked until a newer release skips it, or a re-run turns it green first).

export type ReleaseOrder = "newest" | "each";

export type GateCommitState = "waiting" | "blocked" | "green" | "released" | "skipped";

export type GateCommitView = { sha: string; pushedAt: Date; state: GateCommitState };

export type ReleasePlan = {
  /** Oldest first: the order in which to start them. */
  release: string[];
  skip: { sha: string; supersededBy: string }[];
};

const byPush = (a: GateCommitView, b: GateCommitView) => a.pushedAt.getTime() - b.pushedAt.getTime();

export function chooseReleases(commits: readonly GateCommitView[], order: ReleaseOrder): ReleasePlan {
  const sorted = [...commits].sort(byPush);
  const lastReleased = sorted.filter((c) => c.state === "released").at(-1) ?? null;
  const open = sorted.filter((c) => c.state !== "released" && c.state !== "skipped");
  const skip: ReleasePlan["skip"] = [];
  const newer: GateCommitView[] = [];
  for (const commit of open) {
    if (lastReleased && commit.pushedAt.getTime() <= lastReleased.pushedAt.getTime())
      skip.push({ sha: commit.sha, supersededBy: lastReleased.sha });
    else newer.push(commit);
  }
  const release: string[] = [];
  if (order === "newest") {
    const newest = newer.filter((c) => c.state === "green").at(-1);
    if (newest) {
      release.push(newest.sha);
      for (const commit of newer)
        if (commit.pushedAt.getTime() < newest.pushedAt.getTime())
          skip.push({ sha: commit.sha, supersededBy: newest.sha });
    }
  } else {
    for (const commit of newer) {
      if (commit.state === "waiting") break;
      if (commit.state === "green") release.push(commit.sha);
    }
  }
  return { release, skip };
}
