// What the release gate should have done with the commits the benchmark generated, against what the sandbox saw
// (pure). The sandbox's record is every StartPipelineExecution that reached it, with its commit and arrival time.
//
// - A false start is a start for a commit with a failed check, one still waiting for a check (sent before its last
//   check completed), or one the benchmark never pushed.
// - In newest-only mode a green commit may be skipped for a newer one, but only when a newer commit of the same
//   pipeline was released: a green commit with no release at or after it in push order is a missed release.
// - starts_per_green_commit counts every start, repeats included, per commit released; the latency is from the
//   commit's last check completing to its first start.

export type OracleCommit = {
  pipeline: string;
  sha: string;
  /** Position among the pipeline's pushes (0 = first pushed). */
  order: number;
  green: boolean;
  /** When its last check completed (epoch ms). */
  checksDoneAt: number;
};

export type ObservedStart = { pipeline: string; sha: string; at: number };

export type GateVerdict = {
  starts: number;
  released: number;
  greenCommits: number;
  falseStarts: number;
  missedReleases: number;
  /** The missed commits, "pipeline@sha", to look up. */
  missed: string[];
  /** Releases of a commit after a newer one of its pipeline had already been started (older code over newer). */
  outOfOrder: number;
  latenciesMs: number[];
  startsPerReleasedCommit: number;
};

const key = (pipeline: string, sha: string) => `${pipeline}@${sha}`;

export function judgeGate(commits: readonly OracleCommit[], starts: readonly ObservedStart[]): GateVerdict {
  const byKey = new Map(commits.map((c) => [key(c.pipeline, c.sha), c]));
  const firstStart = new Map<string, number>();
  let falseStarts = 0;
  for (const start of [...starts].sort((a, b) => a.at - b.at)) {
    const k = key(start.pipeline, start.sha);
    const commit = byKey.get(k);
    if (!commit || !commit.green || start.at < commit.checksDoneAt) falseStarts++;
    if (!firstStart.has(k)) firstStart.set(k, start.at);
  }

  // The newest (in push order) released commit of each pipeline, and releases that came after a newer one.
  const newestReleased = new Map<string, number>();
  let outOfOrder = 0;
  const releasedInTime = [...firstStart.entries()]
    .map(([k, at]) => ({ commit: byKey.get(k), at }))
    .filter((r): r is { commit: OracleCommit; at: number } => r.commit !== undefined)
    .sort((a, b) => a.at - b.at);
  for (const { commit } of releasedInTime) {
    const newest = newestReleased.get(commit.pipeline) ?? -1;
    if (commit.order < newest) outOfOrder++;
    newestReleased.set(commit.pipeline, Math.max(newest, commit.order));
  }

  const missed: string[] = [];
  const latenciesMs: number[] = [];
  for (const commit of commits) {
    if (!commit.green) continue;
    const at = firstStart.get(key(commit.pipeline, commit.sha));
    if (at !== undefined) latenciesMs.push(at - commit.checksDoneAt);
    else if ((newestReleased.get(commit.pipeline) ?? -1) < commit.order) missed.push(key(commit.pipeline, commit.sha));
  }
  const released = firstStart.size;
  return {
    starts: starts.length,
    released,
    greenCommits: commits.filter((c) => c.green).length,
    falseStarts,
    missedReleases: missed.length,
    missed,
    outOfOrder,
    latenciesMs,
    startsPerReleasedCommit: released === 0 ? 0 : starts.length / released,
  };
}

/** Deliveries the sender sent (each GUID once) that the receiver never finished: neither processed nor ignored. */
export function lostDeliveries(sent: Iterable<string>, finished: ReadonlySet<string>): string[] {
  return [...new Set(sent)].filter((guid) => !finished.has(guid));
}
