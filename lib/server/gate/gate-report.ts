import "server-only";
import {
  checkRunDesired,
  githubTime,
  SUMMARY_MAX,
  type CheckRunConclusion,
  type Desired,
} from "@/lib/server/writeback/desired";
import { clip, fitLines, link, oneLine, text } from "@/lib/server/writeback/markdown";

// The check run "Release gate · <pipeline>" on a gated commit (pure): what the gate waits for, then "released" with
// a link to the execution, or which checks failed. It goes out through the write-back outbox like every other
// report (lib/server/writeback/), keyed by the pipeline and the commit, so it coalesces, survives GitHub's outages
// and is never created twice (its external_id names the pipeline's gate).

export type GateState = "waiting" | "blocked" | "green" | "releasing" | "released" | "skipped" | "refused";

export type GateVerdictNames = { passed: string[]; failed: string[]; waiting: string[] };

export type GateReportInput = {
  pipelineId: string;
  pipelineName: string;
  sha: string;
  state: GateState;
  verdict: GateVerdictNames | null;
  /** The pipeline's page, and the execution's once released. */
  pipelineUrl: string;
  executionUrl: string | null;
  supersededBy: string | null;
  /** Why AWS cannot start this commit, for a refused one. */
  reason: string | null;
  since: Date;
  at: Date;
};

/** The job's kind in the outbox, beside an execution's own reports. */
export const GATE_REPORT_KIND = "check-run.gate";

export const gateExternalId = (pipelineId: string) => `release-gate:${pipelineId}`;

const NAME_MAX = 255;
const TITLE_MAX = 255;
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const list = (names: string[]) => names.map((n) => `- ${text(n, 200)}`);

function headline(input: GateReportInput): { title: string; conclusion: CheckRunConclusion | null } {
  const verdict = input.verdict ?? { passed: [], failed: [], waiting: [] };
  switch (input.state) {
    case "waiting":
      return { title: `Waiting for ${plural(verdict.waiting.length, "check")}`, conclusion: null };
    case "green":
      return { title: "Checks passed; waiting for the commits before it", conclusion: null };
    case "releasing":
      return { title: "Checks passed; starting the pipeline", conclusion: null };
    case "released":
      return { title: "Released", conclusion: "success" };
    case "blocked":
      return { title: `Not released: ${verdict.failed.join(", ")} failed`, conclusion: "failure" };
    case "skipped":
      return { title: `Not released: superseded by ${(input.supersededBy ?? "").slice(0, 7)}`, conclusion: "neutral" };
    case "refused":
      return { title: "Not released: this commit cannot be started", conclusion: "failure" };
  }
}

function summaryLines(input: GateReportInput): string[] {
  const verdict = input.verdict ?? { passed: [], failed: [], waiting: [] };
  const lines: string[] = [];
  if (input.state === "released")
    lines.push(`Released by the gate: ${link("the execution", input.executionUrl ?? input.pipelineUrl)}.`, "");
  if (input.state === "refused" && input.reason) lines.push(text(input.reason, 1000), "");
  if (input.state === "skipped" && input.supersededBy)
    lines.push(`A newer commit, ${text(input.supersededBy.slice(0, 7))}, was released with these changes.`, "");
  if (verdict.failed.length > 0) lines.push("**Failed**", ...list(verdict.failed), "");
  if (verdict.waiting.length > 0) lines.push("**Waiting for**", ...list(verdict.waiting), "");
  if (verdict.passed.length > 0) lines.push("**Passed**", ...list(verdict.passed), "");
  lines.push(`${link("The gate's settings", input.pipelineUrl)} say which checks it waits for.`);
  return lines;
}

export function gateReport(input: GateReportInput): Desired {
  const { title, conclusion } = headline(input);
  return checkRunDesired({
    name: clip(oneLine(`Release gate · ${input.pipelineName}`), NAME_MAX),
    headSha: input.sha,
    externalId: gateExternalId(input.pipelineId),
    detailsUrl: input.executionUrl ?? input.pipelineUrl,
    status: conclusion === null ? "in_progress" : "completed",
    conclusion,
    startedAt: githubTime(input.since),
    completedAt: conclusion === null ? null : githubTime(input.at),
    title: clip(oneLine(title), TITLE_MAX),
    summary: fitLines(summaryLines(input), SUMMARY_MAX),
  });
}
