import "server-only";
import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CONTROL_COMMANDS, type ControlCommand } from "@/lib/config/policy";
import type { CommandKind, CommandOutcome, RepositoryPermission } from "@/lib/control/contract";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/server/api/errors";
import { controlClientFor } from "@/lib/server/aws/control-client";
import { describeControlError } from "@/lib/server/aws/control-errors";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import { actorAccess, auditParameters, type ActorAccess, type ActorInput } from "./actor-source";
import { recordAttempt, recordOutcome, recordRefusal, type AuditActor, type AuditSubject } from "./audit/record";
import { consumeCommandBudget } from "./command-budget";
import { commandRight, READ_ONLY_REASON } from "./policy/evaluate";
import type { Policy } from "./policy/policy";
import { policyFor } from "./policy/resolve";
import { requestResync } from "./resync";

// Every approval decision and control command passes here, in this order: a read-only instance refuses
// (403); the pipeline must be visible to the actor (404, as for a pipeline that does not exist); the
// person's command budget (429); GitHub's permission now, with their own token, and the policy for the
// command (403 with the reason, audited as a refusal); the audit attempt; AWS (`send`); the audit
// outcome, linked to the attempt; a targeted re-sync so the result shows without waiting for a poll.
// The actor is a signed-in viewer or the sender of a click on GitHub (actor-source.ts): the same steps for both,
// only how GitHub is asked about them differs.
// Failures from AWS are answered as ApiErrors worded by describeControlError; nothing is recorded as done
// that AWS did not accept.

export interface CommandPipeline {
  id: string;
  name: string;
  targetId: string;
  arn: string | null;
  repositoryFullName: string | null;
  repositoryGithubId: bigint | null;
}

export type CommandInput = ActorInput & {
  requestId: string;
  pipelineId: string;
  kind: CommandKind;
  stageName?: string;
  actionName?: string;
  executionId?: string;
  /** What the person asked for, as stored in the audit log (never a secret). */
  params: unknown;
  comment?: string;
};

export interface SendResult {
  awsRequestId: string | null;
  message: string;
  /** "recorded": nothing was sent (a vote of several); default "sent". */
  result?: CommandOutcome["result"];
}

export type Send = (ctx: {
  client: CodePipelineClient;
  pipeline: CommandPipeline;
  /** The audit attempt's id (start-execution derives its clientRequestToken from it). */
  attemptId: string;
}) => Promise<SendResult>;

/** What authorize() is given: GitHub's fresh answer and the effective policy of the stage. */
export interface AuthorizeContext {
  pipeline: CommandPipeline;
  actor: AuditActor & { name: string | null };
  permission: RepositoryPermission | null;
  policy: Policy;
  db: Db;
  /** How GitHub is asked about this actor (teams, the change's commits). */
  access: ActorAccess;
}

/** A refusal may be a conflict (409: already decided, expired) rather than a lack of rights (403). */
export type Verdict = { allowed: true } | { allowed: false; reason: string; code?: "forbidden" | "conflict" };

export interface CommandDeps {
  db?: Db;
  clientFor?: (targetId: string) => Promise<CodePipelineClient>;
  /** Replaces the command policy check (approval decisions bring their own rules). */
  authorize?: (ctx: AuthorizeContext) => Promise<Verdict>;
  /** The AWS operation `send` calls, for error messages (default: the kind). */
  operation?: string;
}

type PipelineRow = { targetId: string; arn: string | null; githubId: string | null };

async function loadPipeline(db: Db, access: ActorAccess, pipelineId: string): Promise<CommandPipeline> {
  const visible = await access.findPipeline(db, pipelineId);
  if (!visible || visible.deleted) throw new ApiError({ code: "not_found", message: "Pipeline not found" });
  const [row] = await db.$queryRaw<PipelineRow[]>`
    SELECT p."targetId", p.arn, r."githubId"::text AS "githubId"
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId" WHERE p.id = ${pipelineId}`;
  if (!row) throw new ApiError({ code: "not_found", message: "Pipeline not found" });
  return {
    id: visible.id,
    name: visible.name,
    targetId: row.targetId,
    arn: row.arn,
    repositoryFullName: visible.repository,
    repositoryGithubId: row.githubId === null ? null : BigInt(row.githubId),
  };
}

const subjectOf = (pipeline: CommandPipeline, input: CommandInput): AuditSubject => ({
  repository: pipeline.repositoryFullName,
  repositoryGithubId: pipeline.repositoryGithubId,
  pipelineId: pipeline.id,
  pipelineName: pipeline.name,
  stageName: input.stageName ?? null,
  actionName: input.actionName ?? null,
  executionId: input.executionId ?? null,
});

const isControlCommand = (kind: CommandKind): kind is ControlCommand =>
  (CONTROL_COMMANDS as readonly string[]).includes(kind);

export async function runCommand(input: CommandInput, send: Send, deps: CommandDeps = {}): Promise<CommandOutcome> {
  const db = deps.db ?? appDb;
  const access = await actorAccess(db, input);
  const actor = access.identity;
  const parameters = auditParameters(access, input.params);
  const base = { actor, action: input.kind, params: input.params, comment: input.comment, requestId: input.requestId };
  const refuse = async (subject: AuditSubject, reason: string, code: "forbidden" | "conflict" = "forbidden") => {
    await recordRefusal(db, { ...base, subject, parameters, reason });
    throw new ApiError({ code, message: reason });
  };
  const pipeline = await loadPipeline(db, access, input.pipelineId);
  const subject = subjectOf(pipeline, input);
  if (env.STAGEBOARD_READ_ONLY) await refuse(subject, READ_ONLY_REASON);

  const budget = await consumeCommandBudget(db, access.budgetSubject, env.RATE_LIMIT_COMMANDS_PER_MINUTE);
  if (budget.kind === "limited")
    throw new ApiError({
      code: "rate_limited",
      message: `Too many commands; at most ${budget.limit} a minute. Try again in ${budget.retryAfterSeconds} s.`,
    });

  const permission = pipeline.repositoryFullName ? await access.permission(pipeline.repositoryFullName, db) : null;
  // A sender sees the pipeline exactly when GitHub says they can read its repository; before that, nothing is said.
  if (!access.seesWith(permission)) throw new ApiError({ code: "not_found", message: "Pipeline not found" });
  const policy = await policyFor(db, {
    repository: pipeline.repositoryFullName,
    repositoryGithubId: pipeline.repositoryGithubId,
    pipelineId: pipeline.id,
    stageName: input.stageName ?? null,
  });
  const right: Verdict = deps.authorize
    ? await deps.authorize({ pipeline, actor, permission, policy, db, access })
    : isControlCommand(input.kind)
      ? commandRight({
          kind: input.kind,
          policy,
          permission,
          repository: pipeline.repositoryFullName,
          readOnly: env.STAGEBOARD_READ_ONLY,
        })
      : ({ allowed: false, reason: "approval decisions go through their own route" } as const);
  if (!right.allowed) await refuse(subject, right.reason, right.code);

  const attemptId = await recordAttempt(db, { ...base, subject, parameters });
  let sent: SendResult;
  try {
    const client = await (deps.clientFor ?? controlClientFor)(pipeline.targetId);
    sent = await send({ client, pipeline, attemptId: String(attemptId) });
  } catch (error) {
    const failure =
      error instanceof ApiError
        ? { code: error.code, message: error.message, awsRequestId: null }
        : describeControlError(error, deps.operation ?? input.kind, pipeline.arn ?? undefined);
    await recordOutcome(db, attemptId, {
      outcome: "failed",
      awsRequestId: failure.awsRequestId,
      error: failure.message,
    }).catch((err: unknown) => logger.error({ err, requestId: input.requestId }, "audit outcome not recorded"));
    // What AWS refused may still have changed something (an approval decided in the console): look again.
    await requestResync(db, pipeline.id).catch(() => undefined);
    throw new ApiError({ code: failure.code, message: failure.message });
  }
  const result = sent.result ?? "sent";
  const outcomeId = await recordOutcome(db, attemptId, {
    outcome: result === "sent" ? "succeeded" : "recorded",
    awsRequestId: sent.awsRequestId,
  });
  if (result === "sent") await requestResync(db, pipeline.id);
  return { auditId: String(outcomeId), awsRequestId: sent.awsRequestId, result, message: sent.message };
}
