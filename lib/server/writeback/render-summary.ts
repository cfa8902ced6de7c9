import "server-only";
import { safeHttpUrl } from "@/lib/safe-url";
import { SUMMARY_MAX } from "./desired";
import type { ApprovalDecider, ApprovalFacts, ExecutionFacts, GitHubClickFacts } from "./execution-facts";
import type { Verdict } from "./execution-verdict";
import { cell, clip, duration, fitLines, link, oneLine, text } from "./markdown";

// Titles (plain text: GitHub shows them as they are) and summaries (Markdown, escaped through markdown.ts) of the
// check runs. Pure: the same facts give the same words.

export type Links = { execution: string; executionOf(executionId: string): string };

const TITLE_MAX = 200;
const title = (value: string) => clip(oneLine(value), TITLE_MAX) || "Status unknown";

const STAGE_ICON: Record<string, string> = {
  Succeeded: "✅",
  Failed: "❌",
  InProgress: "🔄",
  Stopped: "⏹️",
  Stopping: "⏹️",
  Cancelled: "⏹️",
  Abandoned: "⏹️",
  Superseded: "⏭️",
};

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function deciderLabel(decider: ApprovalDecider | null): string {
  if (!decider) return "";
  const who = decider.kind === "person" ? text(decider.login, 100) : `${text(decider.identity, 300)} (in AWS)`;
  const said = decider.comment?.trim() ? `: “${text(decider.comment, 300)}”` : "";
  return ` by ${who}${said}`;
}

const runningStages = (facts: ExecutionFacts) => facts.stages.filter((s) => s.status === "InProgress");
const failedStage = (facts: ExecutionFacts) => facts.stages.find((s) => s.status === "Failed") ?? null;

export function executionTitle(facts: ExecutionFacts, verdict: Verdict): string {
  if (verdict.status === "queued") return "Queued";
  if (verdict.status === "in_progress") {
    if (verdict.waitingFor.length) return title(`Waiting for approval at ${verdict.waitingFor.join(", ")}`);
    const running = runningStages(facts).map((s) => s.name);
    return title(running.length ? `Running ${running.join(", ")}` : "In progress");
  }
  switch (verdict.conclusion) {
    case "success": {
      const took = duration(facts.startTime, facts.lastUpdateTime);
      return took ? `Succeeded in ${took}` : "Succeeded";
    }
    case "failure": {
      const stage = failedStage(facts);
      return title(stage ? `Failed at ${stage.name}` : "Failed");
    }
    case "neutral":
      return title(facts.supersededBy ? `Superseded by ${facts.supersededBy}` : "Superseded by a newer execution");
    default:
      return title(facts.status);
  }
}

function headline(facts: ExecutionFacts, verdict: Verdict, links: Links): string {
  if (verdict.status === "queued") return "⏳ Queued: no stage has started yet.";
  if (verdict.status === "in_progress") {
    if (verdict.waitingFor.length) {
      const stages = verdict.waitingFor.map((s) => `**${text(s, 100)}**`).join(", ");
      return `⏸️ Waiting for approval at ${stages}: ${link("review it in Stageboard", links.execution)}.`;
    }
    const running = runningStages(facts).map((s) => `**${text(s.name, 100)}**`);
    return running.length ? `🔄 Running ${running.join(", ")}.` : "🔄 In progress.";
  }
  const summary = facts.statusSummary?.trim() ? ` AWS says: ${text(facts.statusSummary, 500)}` : "";
  switch (verdict.conclusion) {
    case "success":
      return `✅ Succeeded${facts.startTime ? ` in ${duration(facts.startTime, facts.lastUpdateTime) ?? "0s"}` : ""}.`;
    case "failure": {
      const stage = failedStage(facts);
      return `❌ Failed${stage ? ` at **${text(stage.name, 100)}**` : ""}.${summary}`;
    }
    case "neutral":
      return facts.supersededBy
        ? `⏭️ Superseded by execution ${link(facts.supersededBy, links.executionOf(facts.supersededBy))}.`
        : "⏭️ Superseded by a newer execution.";
    default:
      return `⏹️ ${text(facts.status, 50)}.${summary}`;
  }
}

function stageTable(facts: ExecutionFacts): string[] {
  if (!facts.stages.length) return [];
  const rows = facts.stages.map((s) => {
    const status = s.status ? `${STAGE_ICON[s.status] ?? "•"} ${cell(s.status, 50)}` : "Not reached";
    const took = s.status === "InProgress" ? "running" : (duration(s.startTime, s.endTime) ?? " ");
    return `| ${cell(s.name, 100)} | ${status} | ${took} |`;
  });
  return ["", "| Stage | Status | Duration |", "| --- | --- | --- |", ...rows];
}

function failures(facts: ExecutionFacts): string[] {
  if (!facts.failedActions.length) return [];
  const items = facts.failedActions.map((a) => {
    const code = a.errorCode ? ` (${text(a.errorCode, 100)})` : "";
    const message = a.errorMessage?.trim() ? `: ${text(a.errorMessage, 1000)}` : "";
    const details = safeHttpUrl(a.externalUrl) ? ` · ${link("details", a.externalUrl)}` : "";
    return `- **${text(a.stageName, 100)} / ${text(a.actionName, 100)}**${code}${message}${details}`;
  });
  return ["", "**Failed actions**", "", ...items];
}

function approvalLine(a: ApprovalFacts): string {
  const what = `**${text(a.stageName, 100)} / ${text(a.actionName, 100)}**`;
  switch (a.status) {
    case "Pending":
      return `- ${what}: waiting since ${when(a.requestedAt)}${a.expiresAt ? `, expires ${when(a.expiresAt)}` : ""}`;
    case "Approved":
      return `- ${what}: approved${deciderLabel(a.decider)}`;
    case "Rejected":
      return `- ${what}: rejected${deciderLabel(a.decider)}`;
    case "Expired":
      return `- ${what}: expired without a decision`;
    default:
      return `- ${what}: ${text(a.status, 50)}`;
  }
}

function approvals(facts: ExecutionFacts): string[] {
  if (!facts.approvals.length) return [];
  return ["", "**Approvals**", "", ...facts.approvals.map(approvalLine)];
}

function footer(facts: ExecutionFacts, links: Links): string[] {
  const parts = [
    `Pipeline **${text(facts.pipeline.name, 100)}**`,
    `execution ${link(facts.executionId, links.execution)}`,
    ...(facts.branch ? [`branch ${text(facts.branch, 255)}`] : []),
    `started ${when(facts.startTime)}`,
  ];
  const trigger = facts.startedBy
    ? `started by ${text(facts.startedBy, 100)} from Stageboard`
    : facts.triggerType
      ? `trigger ${text(facts.triggerType, 100)}${facts.triggerDetail ? ` (${text(facts.triggerDetail, 300)})` : ""}`
      : null;
  return ["", [...parts, ...(trigger ? [trigger] : [])].join(" · ")];
}

/** What the last click on GitHub came to, as a line of the run's summary (empty when there was none). */
function clickLines(facts: ExecutionFacts, matches: (click: GitHubClickFacts) => boolean): string[] {
  const click = facts.gitHubClicks?.find(matches);
  if (!click?.outcome.trim()) return [];
  const lead = click.result === "refused" ? "Refused on GitHub" : click.result === "failed" ? "Not done" : "On GitHub";
  return ["", `**${lead}:** ${text(click.outcome, 1000)}`];
}

export function executionSummary(facts: ExecutionFacts, verdict: Verdict, links: Links): string {
  const lines = [
    headline(facts, verdict, links),
    ...clickLines(facts, (c) => c.kind === "retry"),
    ...footer(facts, links),
    ...stageTable(facts),
    ...failures(facts),
    ...approvals(facts),
  ];
  return fitLines(lines, SUMMARY_MAX);
}

export function approvalTitle(stageName: string, group: readonly ApprovalFacts[], verdict: Verdict): string {
  if (verdict.status !== "completed") return title(`Approval at ${stageName}`);
  const decided = group.find((a) => a.status === "Rejected") ?? group.find((a) => a.status === "Approved");
  const decider = decided?.decider;
  const who = decider ? ` by ${decider.kind === "person" ? decider.login : decider.identity}` : "";
  switch (verdict.conclusion) {
    case "action_required":
      return title(`Waiting for approval at ${stageName}`);
    case "success":
      return title(`Approved${who}`);
    case "failure":
      return title(group.some((a) => a.status === "Rejected") ? `Rejected${who}` : "Expired without a decision");
    default:
      return title(`Approval ${group[0]?.status ?? "ended"}`);
  }
}

export function approvalSummary(
  facts: ExecutionFacts,
  group: readonly ApprovalFacts[],
  verdict: Verdict,
  links: Links,
): string {
  const waiting = verdict.status === "completed" && verdict.conclusion === "action_required";
  const head = waiting
    ? `⏸️ This execution waits for approval: ${link("review and decide in Stageboard", links.execution)}.`
    : "The approval has been decided.";
  const stageName = group[0]?.stageName;
  const click = clickLines(facts, (c) => c.kind !== "retry" && c.stageName === stageName);
  return fitLines([head, ...click, "", ...group.map(approvalLine), ...footer(facts, links)], SUMMARY_MAX);
}
