import { describe, expect, it } from "vitest";
import { checkRunOf, readDesired, SUMMARY_MAX, type DesiredCheckRun } from "@/lib/server/writeback/desired";
import { mapCheckRuns } from "@/lib/server/writeback/map-check-runs";
import { byteLength } from "@/lib/server/writeback/markdown";
import { approval, at, executionFacts, SHA, stage } from "@/lib/server/writeback/testing/facts";
import type { ExecutionFacts } from "@/lib/server/writeback/execution-facts";

const BASE = "https://stageboard.example.com/";
const runs = (facts: ExecutionFacts) =>
  mapCheckRuns(facts, { baseUrl: BASE }).map((r) => ({ kind: r.kind, subject: r.subject, ...checkRunOf(r.desired) }));
const executionRun = (facts: ExecutionFacts): DesiredCheckRun => {
  const run = mapCheckRuns(facts, { baseUrl: BASE }).find((r) => r.kind === "check-run.execution");
  if (!run) throw new Error("no execution run");
  return checkRunOf(run.desired);
};
/** Table-cell separators that Markdown sees: pipes not escaped with a backslash. */
const separators = (line: string) => line.match(/(?<!\\)\|/g)?.length ?? 0;

describe("the execution's check run", () => {
  it("is named after the pipeline, on the source commit, with the execution id and its Stageboard page", () => {
    const run = executionRun(executionFacts());
    expect(run).toMatchObject({
      name: "CodePipeline · web-app",
      headSha: SHA,
      externalId: "11111111-2222-3333-4444-555555555555",
      detailsUrl: "https://stageboard.example.com/pipelines/p1/executions/11111111-2222-3333-4444-555555555555",
      status: "in_progress",
      conclusion: null,
      startedAt: "2026-12-01T10:00:00Z",
      completedAt: null,
      title: "Running Build",
    });
  });

  it("is not made for an execution without a GitHub source commit", () => {
    expect(runs(executionFacts({ repository: null }))).toEqual([]);
    expect(runs(executionFacts({ commitSha: null }))).toEqual([]);
    expect(runs(executionFacts({ commitSha: "0123456" }))).toEqual([]);
    expect(runs(executionFacts({ commitSha: "z".repeat(40) }))).toEqual([]);
    // A SHA AWS gave in capitals is the same commit.
    expect(executionRun(executionFacts({ commitSha: SHA.toUpperCase() })).headSha).toBe(SHA);
  });

  it("concludes from every final status, and is queued until a stage starts", () => {
    const conclusion = (status: string) => {
      const run = executionRun(executionFacts({ status, lastUpdateTime: at(250) }));
      return [run.status, run.conclusion, run.completedAt];
    };
    expect(conclusion("Succeeded")).toEqual(["completed", "success", "2026-12-01T10:04:10Z"]);
    expect(conclusion("Failed")).toEqual(["completed", "failure", "2026-12-01T10:04:10Z"]);
    for (const status of ["Stopped", "Stopping", "Cancelled", "Abandoned"])
      expect(conclusion(status)).toEqual(["completed", "cancelled", "2026-12-01T10:04:10Z"]);
    expect(conclusion("Superseded")).toEqual(["completed", "neutral", "2026-12-01T10:04:10Z"]);
    const queued = executionRun(executionFacts({ stages: [stage("Source", null), stage("Build", null)] }));
    expect([queued.status, queued.conclusion, queued.startedAt, queued.title]).toEqual([
      "queued",
      null,
      null,
      "Queued",
    ]);
    // A status AWS adds later is shown as still going, not guessed into a conclusion.
    expect(executionRun(executionFacts({ status: "Paused" })).status).toBe("in_progress");
  });

  it("says how long a success took and where a failure happened", () => {
    expect(executionRun(executionFacts({ status: "Succeeded", lastUpdateTime: at(250) })).title).toBe(
      "Succeeded in 4m 10s",
    );
    const failed = executionRun(
      executionFacts({
        status: "Failed",
        stages: [stage("Source", "Succeeded", 0, 4), stage("Build", "Failed", 5, 65), stage("Prod", null)],
        failedActions: [
          {
            stageName: "Build",
            actionName: "Compile",
            errorCode: "JobFailed",
            errorMessage: "Command exited with status 2",
            externalUrl: "https://console.aws.amazon.com/codebuild/build/1",
          },
        ],
      }),
    );
    expect(failed.title).toBe("Failed at Build");
    expect(failed.summary).toContain("| Build | ❌ Failed | 1m 00s |");
    expect(failed.summary).toContain("| Prod | Not reached |");
    expect(failed.summary).toContain(
      "- **Build / Compile** (JobFailed): Command exited with status 2 · [details](<https://console.aws.amazon.com/codebuild/build/1>)",
    );
  });

  it("says which execution superseded it, linked to its page", () => {
    const run = executionRun(executionFacts({ status: "Superseded", supersededBy: "exec-2" }));
    expect([run.conclusion, run.title]).toEqual(["neutral", "Superseded by exec-2"]);
    expect(run.summary).toContain(
      "Superseded by execution [exec\\-2](<https://stageboard.example.com/pipelines/p1/executions/exec-2>)",
    );
    expect(executionRun(executionFacts({ status: "Superseded" })).title).toBe("Superseded by a newer execution");
  });

  it("stays in progress while an approval waits, saying so", () => {
    const run = executionRun(
      executionFacts({
        stages: [stage("Source", "Succeeded", 0, 4), stage("Prod", "InProgress", 5)],
        approvals: [approval()],
      }),
    );
    expect([run.status, run.conclusion, run.title]).toEqual(["in_progress", null, "Waiting for approval at Prod"]);
    expect(run.summary).toContain("Waiting for approval at **Prod**");
    expect(run.summary).toContain("- **Prod / Approve**: waiting since 2026-12-01 10:02 UTC");
  });

  it("names who started it from Stageboard, or the trigger", () => {
    expect(executionRun(executionFacts({ startedBy: "ada" })).summary).toContain("started by ada from Stageboard");
    expect(executionRun(executionFacts({ triggerType: "Webhook", triggerDetail: "arn:aws:x" })).summary).toContain(
      "trigger Webhook (arn\\:aws\\:x)",
    );
  });
});

describe("the approval's check run", () => {
  const approvalRun = (facts: ExecutionFacts) => runs(facts).find((r) => r.kind === "check-run.approval");

  it("is completed as action_required while it waits, so GitHub never turns it stale", () => {
    expect(approvalRun(executionFacts({ approvals: [approval()] }))).toMatchObject({
      subject: "Prod",
      name: "Approval · web-app · Prod",
      externalId: "11111111-2222-3333-4444-555555555555",
      status: "completed",
      conclusion: "action_required",
      title: "Waiting for approval at Prod",
      startedAt: "2026-12-01T10:02:00Z",
    });
  });

  it("succeeds or fails once decided, naming who decided", () => {
    const decided = (overrides: Parameters<typeof approval>[0]) =>
      approvalRun(executionFacts({ approvals: [approval({ decidedAt: at(300), ...overrides })] }));
    const approved = decided({ status: "Approved", decider: { kind: "person", login: "ada", comment: "ship it" } });
    expect([approved?.conclusion, approved?.title, approved?.completedAt]).toEqual([
      "success",
      "Approved by ada",
      "2026-12-01T10:05:00Z",
    ]);
    expect(approved?.summary).toContain("- **Prod / Approve**: approved by ada: “ship it”");
    const rejected = decided({
      status: "Rejected",
      decider: { kind: "aws", identity: "arn:aws:sts::123456789012:assumed-role/Release/bob", comment: null },
    });
    expect([rejected?.conclusion, rejected?.title]).toEqual([
      "failure",
      "Rejected by arn:aws:sts::123456789012:assumed-role/Release/bob",
    ]);
    expect(rejected?.summary).toContain(
      "rejected by arn\\:aws\\:sts\\:\\:123456789012\\:assumed\\-role/Release/bob (in AWS)",
    );
    expect(decided({ status: "Expired" })).toMatchObject({
      conclusion: "failure",
      title: "Expired without a decision",
    });
    expect(decided({ status: "Abandoned" })).toMatchObject({ conclusion: "cancelled" });
  });

  it("is one per stage, waiting while any approval of the stage waits", () => {
    const reports = runs(
      executionFacts({
        approvals: [
          approval({ actionName: "QA", status: "Approved", decidedAt: at(200) }),
          approval({ actionName: "Security" }),
          approval({ stageName: "Staging", actionName: "Approve", status: "Approved", decidedAt: at(100) }),
        ],
      }),
    ).filter((r) => r.kind === "check-run.approval");
    expect(reports.map((r) => [r.subject, r.conclusion])).toEqual([
      ["Prod", "action_required"],
      ["Staging", "success"],
    ]);
  });
});

describe("untrusted strings in the output", () => {
  const hostile = "<img src=x onerror=alert(1)> **bold** [click](javascript:alert(1)) a|b `code` $x$ ~~s~~ @acme/all";

  it("render as text: no HTML, link, emphasis or extra table cell can form", () => {
    const run = executionRun(
      executionFacts({
        status: "Failed",
        pipeline: { id: "p1", name: "web-app" },
        stages: [stage(hostile, "Failed", 0, 10), stage("Build\n# Heading\n| x | y |", null)],
        failedActions: [
          {
            stageName: hostile,
            actionName: "Act",
            errorCode: "<b>",
            errorMessage: `line one\n\n${hostile}`,
            externalUrl: "javascript:alert(1)",
          },
        ],
        approvals: [approval({ status: "Rejected", decider: { kind: "person", login: "ada", comment: hostile } })],
        statusSummary: hostile,
      }),
    );
    expect(run.summary).not.toMatch(/<img|<b>|\]\(javascript|\*\*bold\*\*|\[click\]/);
    expect(run.summary).toContain("&lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\*\\*bold\\*\\* \\[click\\]");
    expect(run.summary).not.toContain("\n# Heading");
    for (const line of run.summary.split("\n").filter((l) => l.startsWith("| ")))
      expect(separators(line), line).toBe(4);
    // The action's link is not http(s), so the action has no link at all.
    expect(run.summary).not.toContain("javascript:alert");
    expect(run.summary).not.toContain("[details]");
  });

  it("in titles and names are plain text on one line, of bounded length", () => {
    const run = executionRun(
      executionFacts({ status: "Failed", stages: [stage(`Build\n${"x".repeat(500)}`, "Failed", 0, 1)] }),
    );
    expect(run.title).not.toContain("\n");
    expect(run.title.length).toBeLessThanOrEqual(200);
    const named = executionRun(executionFacts({ pipeline: { id: "p1", name: "n".repeat(400) } }));
    expect(named.name.length).toBeLessThanOrEqual(255);
  });
});

describe("size limits", () => {
  it("keep the summary within GitHub's 65,535 bytes, saying what was left out", () => {
    const failedActions = Array.from({ length: 400 }, (_, i) => ({
      stageName: "Build",
      actionName: `Action${i}`,
      errorCode: "JobFailed",
      errorMessage: "é€😀<>|".repeat(400),
      externalUrl: `https://example.com/build/${i}`,
    }));
    const stages = Array.from({ length: 50 }, (_, i) => stage(`Stage${i}`, "Failed", 0, i));
    const run = executionRun(executionFacts({ status: "Failed", stages, failedActions }));
    expect(byteLength(run.summary)).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(run.summary).toMatch(/_\d+ more lines left out: the summary is at GitHub's size limit\._$/);
    // The table comes first and is whole; each error is clipped on its own.
    expect(run.summary).toContain("| Stage49 | ❌ Failed | 49s |");
    const firstError = run.summary.split("\n").find((l) => l.startsWith("- **Build / Action0**")) ?? "";
    expect(firstError).toContain("…");
    expect(Array.from(firstError).length).toBeLessThan(1000 * 6);
  });

  it("leave a small summary whole", () => {
    const run = executionRun(executionFacts());
    expect(run.summary).not.toContain("left out");
  });
});

describe("the stored desired state", () => {
  it("reads back exactly as written", () => {
    for (const report of mapCheckRuns(executionFacts({ approvals: [approval()] }), { baseUrl: BASE }))
      expect(readDesired(JSON.parse(JSON.stringify(report.desired)))).toEqual(report.desired);
  });

  it("is the same for the same facts, so a change that alters nothing sends nothing", () => {
    expect(mapCheckRuns(executionFacts(), { baseUrl: BASE })).toEqual(
      mapCheckRuns(executionFacts(), { baseUrl: BASE }),
    );
  });
});
