// The release gate benchmark's commits (pure): which commit each gated pipeline's repository gets when, and which
// checks GitHub Actions runs on it, each passing or failing at random and completing after its own delay. The
// same seed gives the same plan, so a run that found something can be run again as it was.

/** mulberry32: a small seeded generator, enough for a benchmark's choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type PlannedCheck = { name: string; conclusion: "success" | "failure"; afterMs: number };

export type PlannedCommit = {
  /** Index of the gated pipeline (and its repository). */
  pipeline: number;
  sha: string;
  /** When it is pushed, in ms from the run's start; a pipeline's commits are at least MIN_GAP_MS apart. */
  atMs: number;
  checks: PlannedCheck[];
};

export type PlanOptions = {
  pipelines: number;
  commits: number;
  seed: number;
  /** Chance that one check fails. */
  failRate?: number;
  /** The longest a check takes after its push. */
  maxCheckMs?: number;
  /** The longest gap between two pushes to one repository (the shortest is MIN_GAP_MS). */
  maxGapMs?: number;
};

/** GitHub's commit times have whole seconds: pushes this far apart keep their order in the commits' own times. */
export const MIN_GAP_MS = 2_000;
const CHECK_NAMES = ["build", "test", "lint"] as const;

const hex = (random: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");

export function planCommits(options: PlanOptions): PlannedCommit[] {
  const random = seededRandom(options.seed);
  const failRate = options.failRate ?? 0.12;
  const maxCheckMs = options.maxCheckMs ?? 4_000;
  const maxGapMs = Math.max(MIN_GAP_MS, options.maxGapMs ?? 10_000);
  const next = new Array<number>(options.pipelines).fill(0).map(() => random() * maxGapMs);
  const commits: PlannedCommit[] = [];
  for (let i = 0; i < options.commits; i++) {
    const pipeline = i % options.pipelines;
    const atMs = Math.round(next[pipeline] ?? 0);
    next[pipeline] = atMs + MIN_GAP_MS + random() * (maxGapMs - MIN_GAP_MS);
    const count = 1 + Math.floor(random() * CHECK_NAMES.length);
    const checks = CHECK_NAMES.slice(0, count).map((name) => ({
      name,
      conclusion: random() < failRate ? ("failure" as const) : ("success" as const),
      afterMs: Math.round(200 + random() * (maxCheckMs - 200)),
    }));
    commits.push({ pipeline, sha: `${i.toString(16).padStart(6, "0")}${hex(random, 34)}`, atMs, checks });
  }
  return commits.sort((a, b) => a.atMs - b.atMs);
}

/** Whether every check of the commit passes: the commit the gate should release (or skip for a newer green one). */
export const isGreen = (commit: Pick<PlannedCommit, "checks">) =>
  commit.checks.every((c) => c.conclusion === "success");

/** The check whose completion the gate waits for last, in ms after the push. */
export const lastCheckMs = (commit: Pick<PlannedCommit, "checks">) => Math.max(...commit.checks.map((c) => c.afterMs));
