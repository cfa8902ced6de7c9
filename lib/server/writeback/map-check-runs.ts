import "server-only";
import { APPROVAL_ACTIONS } from "./check-run-actions";
import { checkRunDesired, githubTime, type Desired, type WritebackKind } from "./desired";
import type { ApprovalFacts, ExecutionFacts } from "./execution-facts";
import { approvalVerdict, executionVerdict } from "./execution-verdict";
import { clip, oneLine } from "./markdown";
import { approvalSummary, approvalTitle, executionSummary, executionTitle, type Links } from "./render-summary";

// From an execution's stored state to the check runs GitHub should show for it (pure): one for the execution,
// `CodePipeline · <pipeline>`, and one per stage with a manual approval, `Approval · <pipeline> · <stage>`. Each is
// keyed by (kind, subject) within the execution, which with the repository and commit names its write-back job.
// A waiting approval's run carries Approve and Reject buttons (check-run-actions.ts).

export type DesiredReport = { kind: WritebackKind; subject: string; desired: Desired };

export type ReportTarget = { repository: string; headSha: string };

const SHA = /^[0-9a-f]{40}$/;
const NAME_MAX = 255;

/** Where the reports go: the repository and commit, or null for an execution with no GitHub source commit. */
export function reportTarget(facts: Pick<ExecutionFacts, "repository" | "commitSha">): ReportTarget | null {
  const sha = facts.commitSha?.toLowerCase() ?? null;
  if (!facts.repository || !sha || !SHA.test(sha)) return null;
  return { repository: facts.repository.toLowerCase(), headSha: sha };
}

export function executionLinks(baseUrl: string, pipelineId: string, executionId: string): Links {
  const base = baseUrl.replace(/\/+$/, "");
  const of = (id: string) => `${base}/pipelines/${encodeURIComponent(pipelineId)}/executions/${encodeURIComponent(id)}`;
  return { execution: of(executionId), executionOf: of };
}

const runName = (parts: string[]) => clip(oneLine(parts.join(" · ")), NAME_MAX);

function approvalGroups(approvals: readonly ApprovalFacts[]): Map<string, ApprovalFacts[]> {
  const groups = new Map<string, ApprovalFacts[]>();
  for (const approval of approvals)
    groups.set(approval.stageName, [...(groups.get(approval.stageName) ?? []), approval]);
  return groups;
}

export function mapCheckRuns(facts: ExecutionFacts, options: { baseUrl: string }): DesiredReport[] {
  const target = reportTarget(facts);
  if (!target) return [];
  const links = executionLinks(options.baseUrl, facts.pipeline.id, facts.executionId);
  const common = { headSha: target.headSha, externalId: facts.executionId, detailsUrl: links.execution };
  const verdict = executionVerdict(facts);
  const reports: DesiredReport[] = [
    {
      kind: "check-run.execution",
      subject: "",
      desired: checkRunDesired({
        ...common,
        name: runName(["CodePipeline", facts.pipeline.name]),
        status: verdict.status,
        conclusion: verdict.status === "completed" ? verdict.conclusion : null,
        startedAt: verdict.status === "queued" ? null : githubTime(facts.startTime),
        completedAt: verdict.status === "completed" ? githubTime(facts.lastUpdateTime) : null,
        title: executionTitle(facts, verdict),
        summary: executionSummary(facts, verdict, links),
      }),
    },
  ];
  for (const [stageName, group] of approvalGroups(facts.approvals)) {
    const approval = approvalVerdict(group);
    const requested = Math.min(...group.map((a) => a.requestedAt.getTime()));
    const ended = Math.max(...group.map((a) => (a.decidedAt ?? a.requestedAt).getTime()));
    reports.push({
      kind: "check-run.approval",
      subject: stageName,
      desired: checkRunDesired({
        ...common,
        name: runName(["Approval", facts.pipeline.name, stageName]),
        status: approval.status,
        conclusion: approval.conclusion,
        startedAt: githubTime(new Date(requested)),
        completedAt: githubTime(new Date(ended)),
        title: approvalTitle(stageName, group, approval),
        summary: approvalSummary(facts, group, approval, links),
        // Approve and Reject while it waits; none once decided (an empty list takes GitHub's buttons away).
        actions: approval.conclusion === "action_required" ? [...APPROVAL_ACTIONS] : [],
      }),
    });
  }
  return reports;
}
