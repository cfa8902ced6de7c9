// ListPipelineExecutions, GetPipelineExecution, StartPipelineExecution, StopPipelineExecution.
import type { SourceRevisionOverride, PipelineVariable } from "@aws-sdk/client-codepipeline";
import { AwsError } from "../core/errors";
import type { ExecutionRecord } from "../core/types";
import { stopExecution } from "../sim/commands";
import { startExecution } from "../sim/engine";
import { currentDeclaration, executionAt, executionCount, findExecution, lastStageRun } from "../sim/lookup";
import { findCommit } from "../sim/commits";
import { revisionFor, sourceActions } from "../sim/revisions";
import { pushCommit } from "../sim/tasks";
import { page } from "../wire/page-token";
import { executionSummary, pipelineExecution } from "../wire/shapes";
import { maxResults, pipelineNamed, str, type Handler } from "./context";
import { overrideRefusal } from "./source-overrides";

const MAX_ACTIVE = 50;

const listPipelineExecutions: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const filter = input.filter as { succeededInStage?: { stageName?: string } } | undefined;
  const stage = filter?.succeededInStage?.stageName;
  const token = str(input.nextToken);
  const max = maxResults(input, 100);
  let items: (ExecutionRecord | undefined)[];
  let next: string | undefined;
  if (stage === undefined) {
    const r = page(ctx.secret, `LPE|${p.name}`, executionCount(p), max, token);
    items = Array.from({ length: r.end - r.start }, (_, k) => executionAt(ctx.world, p, r.start + k));
    next = r.next;
  } else {
    const version = p.declarations.length;
    const matching: ExecutionRecord[] = [];
    for (let i = 0; i < executionCount(p); i++) {
      const e = executionAt(ctx.world, p, i);
      if (e && e.pipelineVersion === version && lastStageRun(e, stage)?.status === "Succeeded") matching.push(e);
    }
    const r = page(ctx.secret, `LPE|${p.name}|${stage}`, matching.length, max, token);
    items = matching.slice(r.start, r.end);
    next = r.next;
  }
  const pipelineExecutionSummaries = items.filter((e): e is ExecutionRecord => e !== undefined).map(executionSummary);
  return next ? { pipelineExecutionSummaries, nextToken: next } : { pipelineExecutionSummaries };
};

const getPipelineExecution: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const exec = findExecution(ctx.world, p, String(input.pipelineExecutionId));
  if (!exec)
    throw new AwsError(
      "PipelineExecutionNotFoundException",
      `Pipeline execution with ID '${String(input.pipelineExecutionId)}' was not found in pipeline '${p.name}'.`,
    );
  return { pipelineExecution: pipelineExecution(exec) };
};

const startPipelineExecution: Handler = (ctx, input) => {
  const { world } = ctx;
  const p = pipelineNamed(ctx, input.name);
  const decl = currentDeclaration(p);
  const variables = (input.variables as PipelineVariable[] | undefined) ?? [];
  const overrides = (input.sourceRevisions as SourceRevisionOverride[] | undefined) ?? [];
  const requestToken = str(input.clientRequestToken);
  const fingerprint = JSON.stringify([variables, overrides]);
  if (requestToken) {
    const seen = world.idempotency.get(`${p.name}|${requestToken}`);
    if (seen && seen.fingerprint === fingerprint) return { pipelineExecutionId: seen.executionId };
    if (seen)
      throw new AwsError("ConflictException", "The client request token was already used with different parameters.");
  }
  const declared = decl.variables ?? [];
  for (const v of variables) {
    if (!declared.some((d) => d.name === v.name))
      throw new AwsError("ValidationException", `Variable '${v.name ?? ""}' is not declared in pipeline '${p.name}'.`);
  }
  const sources = sourceActions(decl);
  for (const o of overrides) {
    const source = sources.find((s) => s.name === o.actionName);
    if (!source)
      throw new AwsError(
        "ValidationException",
        `Source action '${o.actionName ?? ""}' does not exist in pipeline '${p.name}'.`,
      );
    const refusal = overrideRefusal(decl, source, o);
    if (refusal) throw new AwsError("ValidationException", refusal);
  }
  if (decl.executionMode !== "SUPERSEDED") {
    const active = p.live.filter((id) => world.executions.get(id)?.status === "InProgress").length;
    if (active >= MAX_ACTIVE)
      throw new AwsError(
        "ConcurrentPipelineExecutionsLimitExceededException",
        `The pipeline already has ${MAX_ACTIVE} executions in progress.`,
      );
  }
  const head = p.head ?? pushCommit(world, p);
  const exec = startExecution(world, p, {
    trigger: { triggerType: "StartPipelineExecution", triggerDetail: ctx.actor },
    sources: sources.map((s) => {
      const o = overrides.find((x) => x.actionName === s.name);
      // A commit of the pipeline's line is built as it is; any other value as a commit the sandbox never saw.
      const commit = o?.revisionValue
        ? (findCommit(p, o.revisionValue) ?? {
            sha: o.revisionValue,
            message: `Release of ${o.revisionValue.slice(0, 12)}`,
            createdMs: world.clock.now(),
          })
        : head;
      return revisionFor(world, s, commit);
    }),
    variables: declared.map((d) => ({
      name: d.name ?? "",
      resolvedValue: variables.find((v) => v.name === d.name)?.value ?? d.defaultValue ?? "",
    })),
  });
  if (requestToken) world.idempotency.set(`${p.name}|${requestToken}`, { executionId: exec.id, fingerprint });
  return { pipelineExecutionId: exec.id };
};

const stopPipelineExecution: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const id = String(input.pipelineExecutionId);
  const exec = ctx.world.executions.get(id) ?? findExecution(ctx.world, p, id);
  if (!exec || exec.pipelineName !== p.name)
    throw new AwsError(
      "PipelineExecutionNotStoppableException",
      `Pipeline execution '${id}' does not exist or cannot be stopped.`,
    );
  stopExecution(ctx.world, exec, input.abandon === true, str(input.reason));
  return { pipelineExecutionId: exec.id };
};

export const executionOps: Record<string, Handler> = {
  ListPipelineExecutions: listPipelineExecutions,
  GetPipelineExecution: getPipelineExecution,
  StartPipelineExecution: startPipelineExecution,
  StopPipelineExecution: stopPipelineExecution,
};
