// How the audit table words an entry. Every value was typed by a person or sent by AWS/GitHub, so it is
// turned into plain text here and rendered as text; nothing is interpreted as markup or a link.

/** One audit entry as the audit page and GET /api/audit (JSON) show it. */
export interface AuditEntryView {
  id: string;
  at: string;
  /** attempt | outcome | refusal | policy-change | console-decision */
  entry: string;
  attemptId: string | null;
  action: string;
  actorGithubId: string | null;
  actorLogin: string;
  repository: string | null;
  pipelineId: string | null;
  pipelineName: string | null;
  stageName: string | null;
  actionName: string | null;
  executionId: string | null;
  parameters: unknown;
  comment: string | null;
  /** attempted | succeeded | recorded | failed | refused */
  outcome: string;
  awsRequestId: string | null;
  error: string | null;
  requestId: string | null;
}

const MAX_PARAMETERS = 300;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/** `key=value` pairs, in the stored order, cut to a readable length ("…" when cut). */
export function describeParameters(parameters: unknown): string {
  if (parameters === null || parameters === undefined) return "";
  const text =
    typeof parameters === "object" && !Array.isArray(parameters)
      ? Object.entries(parameters as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0))
          .map(([k, v]) => `${k}=${scalar(v)}`)
          .join(", ")
      : scalar(parameters);
  return text.length > MAX_PARAMETERS ? `${text.slice(0, MAX_PARAMETERS - 1)}…` : text;
}

const ACTION_LABELS: Record<string, string> = {
  approve: "Approve",
  reject: "Reject",
  "retry-stage": "Retry stage",
  "stop-execution": "Stop execution",
  "disable-transition": "Disable transition",
  "enable-transition": "Enable transition",
  "start-execution": "Release change",
  "rollback-stage": "Roll back stage",
  "override-condition": "Override condition",
  "policy-change": "Policy change",
  "console-decision": "Decision in the AWS console",
};

/** The filter's choices and the table's words for an action; an unknown one is shown as stored. */
export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS);
export const auditActionLabel = (action: string): string => ACTION_LABELS[action] ?? action;

export const AUDIT_OUTCOMES = ["attempted", "succeeded", "recorded", "failed", "refused"] as const;

/** Where the entry happened, most specific last: "web-app-deploy / Deploy / Approve · 1a2b3c4d". */
export function auditWhere(
  entry: Pick<
    AuditEntryView,
    "pipelineName" | "pipelineId" | "stageName" | "actionName" | "executionId" | "repository"
  >,
): string {
  const path = [entry.pipelineName ?? entry.pipelineId, entry.stageName, entry.actionName].filter(Boolean).join(" / ");
  const execution = entry.executionId ? `execution ${entry.executionId.slice(0, 8)}` : "";
  return [path || entry.repository || "", execution].filter(Boolean).join(" · ");
}
