import { describe, expect, it } from "vitest";
import { evaluateChecks, type CheckRunFact, type CheckSuiteFact, type CommitChecks } from "./evaluate-checks";

const STAGEBOARD = 7;
const ACTIONS = 15368;
const own = { appId: STAGEBOARD, isOwnContext: (context: string) => context.startsWith("codepipeline/") };

const run = (name: string, status: string, conclusion: string | null = null, appId = ACTIONS): CheckRunFact => ({
  name,
  appId,
  status,
  conclusion,
});
const suite = (
  appName: string,
  status: string,
  runCount: number,
  appId = ACTIONS,
  conclusion = null,
): CheckSuiteFact => ({
  appId,
  appName,
  status,
  conclusion,
  runCount,
});
const checks = (part: Partial<CommitChecks>): CommitChecks => ({ runs: [], suites: [], statuses: [], ...part });

describe("every other check", () => {
  it("passes when every other App's runs and every status passed, Stageboard's own left out", () => {
    const verdict = evaluateChecks(
      checks({
        runs: [
          run("build", "completed", "success"),
          run("lint", "completed", "neutral"),
          run("docs", "completed", "skipped"),
          run("CodePipeline · deploy", "in_progress", null, STAGEBOARD),
        ],
        suites: [suite("GitHub Actions", "completed", 3), suite("Stageboard", "in_progress", 1, STAGEBOARD)],
        statuses: [
          { context: "ci/jenkins", state: "success" },
          { context: "codepipeline/deploy", state: "pending" },
        ],
      }),
      { kind: "all" },
      own,
    );
    expect(verdict).toEqual({
      state: "passed",
      passed: ["build", "lint", "docs", "ci/jenkins"],
      failed: [],
      waiting: [],
    });
  });

  it("waits while a run is not completed or a status is pending", () => {
    const verdict = evaluateChecks(
      checks({
        runs: [run("build", "completed", "success"), run("test", "in_progress")],
        statuses: [{ context: "ci/jenkins", state: "pending" }],
      }),
      { kind: "all" },
      own,
    );
    expect(verdict.state).toBe("pending");
    expect(verdict.waiting).toEqual(["test", "ci/jenkins"]);
  });

  it.each(["failure", "cancelled", "timed_out", "action_required", "stale", "startup_failure"])(
    "fails on a run completed as %s, naming it, even while others wait",
    (conclusion) => {
      const verdict = evaluateChecks(
        checks({ runs: [run("build", "completed", conclusion), run("test", "queued")] }),
        { kind: "all" },
        own,
      );
      expect(verdict).toMatchObject({ state: "failed", failed: ["build"], waiting: ["test"] });
    },
  );

  it.each(["failure", "error"])("fails on a status %s", (state) => {
    const verdict = evaluateChecks(checks({ statuses: [{ context: "ci/jenkins", state }] }), { kind: "all" }, own);
    expect(verdict).toMatchObject({ state: "failed", failed: ["ci/jenkins"] });
  });

  it("waits for a check suite GitHub created whose App has not created its runs yet", () => {
    const verdict = evaluateChecks(
      checks({
        runs: [run("build", "completed", "success")],
        suites: [suite("GitHub Actions", "completed", 1), suite("CircleCI", "queued", 0, 99)],
      }),
      { kind: "all" },
      own,
    );
    expect(verdict).toMatchObject({ state: "pending", passed: ["build"], waiting: ["CircleCI (no check runs yet)"] });
  });

  it("counts a suite completed without runs by its conclusion", () => {
    const failed = evaluateChecks(
      checks({ suites: [{ ...suite("CircleCI", "completed", 0, 99), conclusion: "failure" }] }),
      { kind: "all" },
      own,
    );
    expect(failed).toMatchObject({ state: "failed", failed: ["CircleCI"] });
  });

  it("waits on a commit nothing reported on, rather than calling it green", () => {
    expect(evaluateChecks(checks({}), { kind: "all" }, own)).toMatchObject({ state: "pending" });
    // Stageboard's own reports alone are still nothing.
    const onlyOwn = checks({
      runs: [run("CodePipeline · deploy", "completed", "success", STAGEBOARD)],
      statuses: [{ context: "codepipeline/deploy", state: "success" }],
    });
    expect(evaluateChecks(onlyOwn, { kind: "all" }, own)).toMatchObject({ state: "pending" });
  });

  it("keeps runs of the same name from two Apps apart: both must pass", () => {
    const verdict = evaluateChecks(
      checks({ runs: [run("build", "completed", "success"), run("build", "completed", "failure", 99)] }),
      { kind: "all" },
      own,
    );
    expect(verdict).toMatchObject({ state: "failed", passed: ["build"], failed: ["build"] });
  });
});

describe("a named list", () => {
  it("passes when each named check passed, whatever else failed", () => {
    const verdict = evaluateChecks(
      checks({
        runs: [run("Build", "completed", "success"), run("flaky", "completed", "failure")],
        statuses: [{ context: "ci/jenkins", state: "success" }],
      }),
      { kind: "named", names: ["build", "ci/jenkins"] },
      own,
    );
    expect(verdict).toEqual({ state: "passed", passed: ["build", "ci/jenkins"], failed: [], waiting: [] });
  });

  it("waits for a named check not reported yet", () => {
    const verdict = evaluateChecks(
      checks({ runs: [run("build", "completed", "success")] }),
      { kind: "named", names: ["build", "e2e"] },
      own,
    );
    expect(verdict).toMatchObject({ state: "pending", passed: ["build"], waiting: ["e2e"] });
  });

  it("needs both a check run and a status of the same name to pass", () => {
    const verdict = evaluateChecks(
      checks({ runs: [run("build", "completed", "success")], statuses: [{ context: "build", state: "failure" }] }),
      { kind: "named", names: ["build"] },
      own,
    );
    expect(verdict).toMatchObject({ state: "failed", failed: ["build"] });
  });

  it("never counts Stageboard's own check run as a named check", () => {
    const verdict = evaluateChecks(
      checks({ runs: [run("CodePipeline · deploy", "completed", "success", STAGEBOARD)] }),
      { kind: "named", names: ["CodePipeline · deploy"] },
      own,
    );
    expect(verdict.state).toBe("pending");
  });

  it("waits when no name is given, rather than releasing on nothing", () => {
    expect(evaluateChecks(checks({}), { kind: "named", names: [] }, own).state).toBe("pending");
  });
});
