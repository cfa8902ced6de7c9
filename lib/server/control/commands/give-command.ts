import "server-only";
import type { CommandBody, CommandOutcome } from "@/lib/control/contract";
import { ApiError } from "@/lib/server/api/errors";
import { COMMAND_OPERATIONS } from "@/lib/server/aws/control-operations";
import { db as appDb, type Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import { runCommand, type CommandInput } from "../run-command";
import { sendFor } from "./index";

// POST /api/pipelines/[id]/commands behind the route: a command body becomes runCommand's input (what the
// audit log records: where, what was asked, the person's own words in full) and the one AWS call it stands
// for. runCommand does the rest, in its order: read-only, visibility, budget, fresh permission and policy,
// the audit attempt, the call, the outcome, the re-sync.

/** The person's own words: kept whole in the audit log, while AWS is sent a version that fits. */
function commentOf(body: CommandBody): string | undefined {
  if (body.kind === "stop-execution" || body.kind === "disable-transition") return body.reason || undefined;
  return undefined;
}

/** What was asked, without the free text (recorded as the comment) or anything AWS-only. */
function paramsOf(body: CommandBody): Record<string, unknown> {
  if (body.kind === "stop-execution" || body.kind === "disable-transition") {
    const { reason: _reason, ...rest } = body;
    return rest;
  }
  return body;
}

export function commandInput(viewer: Viewer, requestId: string, pipelineId: string, body: CommandBody): CommandInput {
  return {
    viewer,
    requestId,
    pipelineId,
    kind: body.kind,
    ...("stageName" in body ? { stageName: body.stageName } : {}),
    ...("executionId" in body ? { executionId: body.executionId } : {}),
    params: paramsOf(body),
    comment: commentOf(body),
  };
}

export async function giveCommand(
  input: { viewer: Viewer; requestId: string; pipelineId: string; body: CommandBody },
  db: Db = appDb,
): Promise<CommandOutcome> {
  const user = await db.user.findUnique({
    where: { id: input.viewer.userId },
    select: { githubId: true, login: true },
  });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const send = sendFor(input.body, user, db);
  return runCommand(commandInput(input.viewer, input.requestId, input.pipelineId, input.body), send, {
    db,
    operation: COMMAND_OPERATIONS[input.body.kind],
  });
}
