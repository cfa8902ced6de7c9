import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { maskValue } from "@/lib/server/secrets/mask";
import type { Db } from "@/lib/server/db/client";

// The only writers of the audit log (table AuditEntry, append-only in the database: its trigger refuses
// UPDATE and DELETE). An attempt is written before AWS is called and its outcome after, as a second row
// naming the attempt, so a crash in between leaves an attempt without outcome rather than nothing. Each row
// carries the whole context (who, what, where), so an export of outcomes alone still reads on its own.

/** Whatever can write: the client or a transaction. */
type Writer = Pick<Db, "$queryRaw" | "auditEntry">;

export interface AuditActor {
  /** GitHub account id; null only for console decisions (an IAM identity). */
  githubId: bigint | null;
  login: string;
}

export interface AuditSubject {
  repository: string | null;
  repositoryGithubId: bigint | null;
  pipelineId: string | null;
  pipelineName: string | null;
  stageName?: string | null;
  actionName?: string | null;
  executionId?: string | null;
}

export type AuditOutcome = "succeeded" | "recorded" | "failed";

const MAX_TEXT = 4_000;
const clip = (text: string | null | undefined) => (text == null ? null : text.slice(0, MAX_TEXT));

/** Parameters as stored: variable values that look secret are masked by the one masking rule. */
function storedParameters(parameters: unknown): Prisma.InputJsonValue | undefined {
  if (parameters === undefined || parameters === null) return undefined;
  if (typeof parameters !== "object") return JSON.parse(JSON.stringify(parameters)) as Prisma.InputJsonValue;
  const copy = { ...(parameters as Record<string, unknown>) };
  if (Array.isArray(copy.variables))
    copy.variables = (copy.variables as unknown[]).map((v) => {
      const variable = v as { name?: unknown; value?: unknown };
      return typeof variable.name === "string" && typeof variable.value === "string"
        ? { name: variable.name, value: maskValue(variable.name, variable.value) }
        : v;
    });
  return JSON.parse(JSON.stringify(copy)) as Prisma.InputJsonValue;
}

function subjectColumns(subject: AuditSubject) {
  return {
    repository: subject.repository,
    repositoryGithubId: subject.repositoryGithubId,
    pipelineId: subject.pipelineId,
    pipelineName: subject.pipelineName,
    stageName: subject.stageName ?? null,
    actionName: subject.actionName ?? null,
    executionId: subject.executionId ?? null,
  };
}

export interface AttemptInput {
  actor: AuditActor;
  /** A command kind. */
  action: string;
  subject: AuditSubject;
  parameters?: unknown;
  comment?: string | null;
  requestId: string | null;
}

/** The row written before AWS is called; returns its id for the outcome. */
export async function recordAttempt(db: Writer, input: AttemptInput): Promise<bigint> {
  const row = await db.auditEntry.create({
    data: {
      entry: "attempt",
      action: input.action,
      actorGithubId: input.actor.githubId,
      actorLogin: input.actor.login,
      ...subjectColumns(input.subject),
      parameters: storedParameters(input.parameters),
      comment: clip(input.comment),
      outcome: "attempted",
      requestId: input.requestId,
    },
    select: { id: true },
  });
  return row.id;
}

/** The attempt's outcome, as a second row copying the attempt's context; returns its id. */
export async function recordOutcome(
  db: Writer,
  attemptId: bigint,
  result: { outcome: AuditOutcome; awsRequestId?: string | null; error?: string | null; message?: string | null },
): Promise<bigint> {
  const [row] = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO "AuditEntry" ("entry", "attemptId", "action", "actorGithubId", "actorLogin", "repository",
      "repositoryGithubId", "pipelineId", "pipelineName", "stageName", "actionName", "executionId", "parameters",
      "comment", "outcome", "awsRequestId", "error", "requestId")
    SELECT 'outcome', a."id", a."action", a."actorGithubId", a."actorLogin", a."repository", a."repositoryGithubId",
      a."pipelineId", a."pipelineName", a."stageName", a."actionName", a."executionId", a."parameters", a."comment",
      ${result.outcome}, ${result.awsRequestId ?? null}, ${clip(result.error ?? null)}, a."requestId"
    FROM "AuditEntry" a WHERE a."id" = ${attemptId}
    RETURNING "id"`;
  if (!row) throw new Error(`audit attempt ${attemptId} not found`);
  return row.id;
}

/** A command the policy (or a read-only instance) refused before anything was sent. */
export async function recordRefusal(db: Writer, input: AttemptInput & { reason: string }): Promise<bigint> {
  const row = await db.auditEntry.create({
    data: {
      entry: "refusal",
      action: input.action,
      actorGithubId: input.actor.githubId,
      actorLogin: input.actor.login,
      ...subjectColumns(input.subject),
      parameters: storedParameters(input.parameters),
      comment: clip(input.comment),
      outcome: "refused",
      error: clip(input.reason),
      requestId: input.requestId,
    },
    select: { id: true },
  });
  return row.id;
}

/** A policy override set, changed or removed on the settings page: before and after, in full. */
export async function recordPolicyChange(
  db: Writer,
  input: {
    actor: AuditActor;
    subject: AuditSubject;
    before: unknown;
    after: unknown;
    requestId: string | null;
  },
): Promise<bigint> {
  const row = await db.auditEntry.create({
    data: {
      entry: "policy-change",
      action: "policy-change",
      actorGithubId: input.actor.githubId,
      actorLogin: input.actor.login,
      ...subjectColumns(input.subject),
      parameters: storedParameters({ before: input.before ?? null, after: input.after ?? null }),
      outcome: "succeeded",
      requestId: input.requestId,
    },
    select: { id: true },
  });
  return row.id;
}

/** An approval decided outside Stageboard (the AWS console, the CLI), as the sync saw it settle. */
export async function recordConsoleDecision(
  db: Writer,
  input: { subject: AuditSubject; decidedBy: string | null; status: string; summary: string | null; at: Date },
): Promise<bigint> {
  const row = await db.auditEntry.create({
    data: {
      at: input.at,
      entry: "console-decision",
      action: "console-decision",
      actorGithubId: null,
      actorLogin: clip(input.decidedBy) ?? "unknown IAM identity",
      ...subjectColumns(input.subject),
      parameters: { status: input.status },
      comment: clip(input.summary),
      outcome: input.status === "Approved" || input.status === "Rejected" ? "succeeded" : "failed",
      requestId: null,
    },
    select: { id: true },
  });
  return row.id;
}

/** Deletes entries past the log's own retention (the only delete the trigger lets through); returns how many. */
export async function pruneAuditLog(db: Pick<Db, "$queryRaw">, retentionDays: number): Promise<number> {
  const [row] = await db.$queryRaw<
    { removed: bigint }[]
  >`SELECT stageboard_prune_audit_log(${retentionDays}::int) AS removed`;
  return Number(row?.removed ?? 0);
}
