// Whether a commit's GitHub checks let the release gate start the pipeline (pure). GitHub has two systems, and both
// are read: check runs (every GitHub App's, GitHub Actions included), grouped in one check suite per App and commit,
// and commit statuses (external CI), the latest per context. Stageboard's own check runs and statuses never count:
// the gate would otherwise wait on itself.
//
// - A check run passes when completed as success, neutral or skipped (as branch protection counts them), fails when
//   completed otherwise (failure, cancelled, timed_out, action_required, stale, ...), and waits while not completed.
// - A status passes on success, fails on failure or error, waits on pending.
// - "Every other check": every App's check suite GitHub created for the push counts, so a suite whose App has not
//   created its runs yet waits (a commit is never green only because its CI has not started), and a commit nothing
//   reported on at all waits too. A suite completed without runs counts by its own conclusion.
// - A named list (or the branch's required checks): each name must be reported, as a check run or a status context
//   (compared case-insensitively, as GitHub does); when both carry it, both must pass. A name not reported waits.
// A failed check is not final (it can be re-run): the verdict is only what GitHub says now.

export type CheckRunFact = {
  name: string;
  appId: number | null;
  status: string;
  conclusion: string | null;
};

export type CheckSuiteFact = {
  appId: number | null;
  /** The App's name, to say what is awaited. */
  appName: string;
  status: string;
  conclusion: string | null;
  /** Check runs GitHub counts in the suite (`latest_check_runs_count`). */
  runCount: number;
};

export type StatusFact = { context: string; state: string };

export type CommitChecks = { runs: CheckRunFact[]; suites: CheckSuiteFact[]; statuses: StatusFact[] };

export type RequiredChecks = { kind: "all" } | { kind: "named"; names: string[] };

export type Own = { appId: number | null; isOwnContext: (context: string) => boolean };

export type CheckVerdict = {
  state: "passed" | "failed" | "pending";
  passed: string[];
  failed: string[];
  waiting: string[];
};

type Outcome = "passed" | "failed" | "pending";

const PASSING = new Set(["success", "neutral", "skipped"]);

function runOutcome(run: CheckRunFact): Outcome {
  if (run.status !== "completed") return "pending";
  return PASSING.has(run.conclusion ?? "") ? "passed" : "failed";
}

function statusOutcome(status: StatusFact): Outcome {
  if (status.state === "success") return "passed";
  return status.state === "failure" || status.state === "error" ? "failed" : "pending";
}

const worst = (outcomes: Outcome[]): Outcome =>
  outcomes.includes("failed") ? "failed" : outcomes.includes("pending") ? "pending" : "passed";

/** Each check in its list (in the order first met), and the commit's state: any failure fails, any wait waits. */
function verdictOf(outcomes: Map<string, { name: string; outcome: Outcome }>): CheckVerdict {
  const verdict: CheckVerdict = { state: "passed", passed: [], failed: [], waiting: [] };
  for (const { name, outcome } of outcomes.values()) {
    if (outcome === "passed") verdict.passed.push(name);
    else if (outcome === "failed") verdict.failed.push(name);
    else verdict.waiting.push(name);
  }
  verdict.state = verdict.failed.length > 0 ? "failed" : verdict.waiting.length > 0 ? "pending" : "passed";
  return verdict;
}

function others(checks: CommitChecks, own: Own): CommitChecks {
  const foreign = (appId: number | null) => own.appId === null || appId !== own.appId;
  return {
    runs: checks.runs.filter((r) => foreign(r.appId)),
    suites: checks.suites.filter((s) => foreign(s.appId)),
    statuses: checks.statuses.filter((s) => !own.isOwnContext(s.context)),
  };
}

function everyOtherCheck(checks: CommitChecks): CheckVerdict {
  const outcomes = new Map<string, { name: string; outcome: Outcome }>();
  const add = (key: string, name: string, outcome: Outcome) => {
    const seen = outcomes.get(key);
    outcomes.set(key, { name, outcome: seen ? worst([seen.outcome, outcome]) : outcome });
  };
  for (const run of checks.runs) add(`run:${run.appId ?? ""}:${run.name.toLowerCase()}`, run.name, runOutcome(run));
  const appsWithRuns = new Set(checks.runs.map((r) => r.appId));
  for (const suite of checks.suites) {
    if (appsWithRuns.has(suite.appId)) continue; // its runs say it
    if (suite.status === "completed") {
      add(`suite:${suite.appId ?? ""}`, suite.appName, PASSING.has(suite.conclusion ?? "") ? "passed" : "failed");
    } else {
      add(`suite:${suite.appId ?? ""}`, `${suite.appName} (no check runs yet)`, "pending");
    }
  }
  for (const status of checks.statuses) add(`status:${status.context}`, status.context, statusOutcome(status));
  if (outcomes.size === 0) return { state: "pending", passed: [], failed: [], waiting: ["any check on this commit"] };
  return verdictOf(outcomes);
}

function namedChecks(checks: CommitChecks, names: readonly string[]): CheckVerdict {
  const outcomes = new Map<string, { name: string; outcome: Outcome }>();
  for (const name of names) {
    const wanted = name.toLowerCase();
    const found = [
      ...checks.runs.filter((r) => r.name.toLowerCase() === wanted).map(runOutcome),
      ...checks.statuses.filter((s) => s.context.toLowerCase() === wanted).map(statusOutcome),
    ];
    outcomes.set(wanted, { name, outcome: found.length === 0 ? "pending" : worst(found) });
  }
  if (outcomes.size === 0) return { state: "pending", passed: [], failed: [], waiting: ["a check to be named"] };
  return verdictOf(outcomes);
}

export function evaluateChecks(checks: CommitChecks, required: RequiredChecks, own: Own): CheckVerdict {
  const foreign = others(checks, own);
  return required.kind === "all" ? everyOtherCheck(foreign) : namedChecks(foreign, required.names);
}
