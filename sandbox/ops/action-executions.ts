// ListActionExecutions and ListRuleExecutions, newest first, with both execution filters.
import type { ActionDeclaration } from "@aws-sdk/client-codepipeline";
import { AwsError } from "../core/errors";
import type { ActionRun, ExecutionRecord, PipelineRecord, RuleRun } from "../core/types";
import type { World } from "../core/world";
import { declarationOf, executionAt, executionCount, findExecution } from "../sim/lookup";
import { decodeToken, encodeToken, page } from "../wire/page-token";
import { seconds } from "../wire/shapes";
import { maxResults, pipelineNamed, str, type Handler, type OpContext } from "./context";

interface Filter {
  pipelineExecutionId?: string;
  latestInPipelineExecution?: { pipelineExecutionId?: string; startTimeRange?: string };
}

function declOf(p: PipelineRecord, exec: ExecutionRecord, stage: string, action: string): ActionDeclaration | undefined {
  return declarationOf(p, exec).stages?.find((s) => s.name === stage)?.actions?.find((a) => a.name === action);
}

function masked(config: Record<string, string> | undefined): Record<string, string> {
  return config?.OAuthToken !== undefined ? { ...config, OAuthToken: "****" } : { ...(config ?? {}) };
}

function actionDetail(world: World, p: PipelineRecord, exec: ExecutionRecord, a: ActionRun): Record<string, unknown> {
  const decl = declOf(p, exec, a.stageName, a.actionName);
  const bucket = declarationOf(p, exec).artifactStore?.location ?? "codepipeline-artifacts";
  const artifact = (name: string | undefined) => ({ name, s3location: { bucket, key: `${p.name.slice(0, 20)}/${(name ?? "").slice(0, 10)}/${a.id.slice(0, 7)}` } });
  const result: Record<string, unknown> = {};
  if (a.externalExecutionId) result.externalExecutionId = a.externalExecutionId;
  if (a.summary) result.externalExecutionSummary = a.summary;
  if (a.externalExecutionUrl) result.externalExecutionUrl = a.externalExecutionUrl;
  if (a.errorDetails) result.errorDetails = a.errorDetails;
  const output: Record<string, unknown> = {};
  if (a.status === "Succeeded") output.outputArtifacts = (decl?.outputArtifacts ?? []).map((o) => artifact(o.name));
  if (Object.keys(result).length) output.executionResult = result;
  if (a.outputVariables) output.outputVariables = a.outputVariables;
  const config = masked(decl?.configuration);
  return {
    pipelineExecutionId: exec.id,
    actionExecutionId: a.id,
    pipelineVersion: exec.pipelineVersion,
    stageName: a.stageName,
    actionName: a.actionName,
    startTime: seconds(a.startMs),
    lastUpdateTime: seconds(a.lastUpdateMs),
    ...(a.updatedBy ? { updatedBy: a.updatedBy } : {}),
    status: a.status,
    input: {
      ...(decl?.actionTypeId ? { actionTypeId: decl.actionTypeId } : {}),
      configuration: config,
      resolvedConfiguration: config,
      region: decl?.region ?? world.env.region,
      inputArtifacts: (decl?.inputArtifacts ?? []).map((i) => artifact(i.name)),
      ...(decl?.namespace ? { namespace: decl.namespace } : {}),
    },
    output,
  };
}

function actionsNewestFirst(exec: ExecutionRecord, latestOnly: boolean): ActionRun[] {
  const all = exec.stages.flatMap((s) => s.actions);
  const chosen = latestOnly ? all.filter((a, i) => !all.slice(i + 1).some((b) => b.stageName === a.stageName && b.actionName === a.actionName)) : all;
  return chosen.reverse();
}

function filteredExecution(ctx: OpContext, p: PipelineRecord, filter: Filter | undefined): { exec?: ExecutionRecord; latestOnly: boolean } {
  const id = filter?.pipelineExecutionId ?? filter?.latestInPipelineExecution?.pipelineExecutionId;
  if (id === undefined) return { latestOnly: false };
  const exec = findExecution(ctx.world, p, id);
  if (!exec) throw new AwsError("PipelineExecutionNotFoundException", `Pipeline execution with ID '${id}' was not found in pipeline '${p.name}'.`);
  return { exec, latestOnly: filter?.latestInPipelineExecution?.startTimeRange === "Latest" };
}

const listActionExecutions: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const max = maxResults(input, 100);
  const token = str(input.nextToken);
  const { exec, latestOnly } = filteredExecution(ctx, p, input.filter as Filter | undefined);
  if (exec) {
    const runs = actionsNewestFirst(exec, latestOnly);
    const r = page(ctx.secret, `LAE|${p.name}|${exec.id}|${String(latestOnly)}`, runs.length, max, token);
    const details = runs.slice(r.start, r.end).map((a) => actionDetail(ctx.world, p, exec, a));
    return r.next ? { actionExecutionDetails: details, nextToken: r.next } : { actionExecutionDetails: details };
  }
  // Unfiltered: walk executions newest first; the position is (execution from the oldest end, offset inside it).
  const scope = `LAE|${p.name}`;
  const total = executionCount(p);
  let position = token === undefined ? total * 1000 : decodeToken(ctx.secret, token, scope);
  let index = total - Math.floor(position / 1000);
  let offset = position % 1000;
  const details: Record<string, unknown>[] = [];
  while (index < total && details.length < max) {
    const e = executionAt(ctx.world, p, index);
    const runs = e ? actionsNewestFirst(e, false) : [];
    while (offset < runs.length && details.length < max) details.push(actionDetail(ctx.world, p, e as ExecutionRecord, runs[offset++] as ActionRun));
    if (offset >= runs.length) {
      index++;
      offset = 0;
    }
  }
  position = (total - index) * 1000 + offset;
  return index < total ? { actionExecutionDetails: details, nextToken: encodeToken(ctx.secret, { scope, fromEnd: position }) } : { actionExecutionDetails: details };
};

function ruleDetail(world: World, p: PipelineRecord, exec: ExecutionRecord, stage: string, r: RuleRun): Record<string, unknown> {
  const stageDecl = declarationOf(p, exec).stages?.find((s) => s.name === stage);
  const rules = [stageDecl?.beforeEntry, stageDecl?.onSuccess, stageDecl?.onFailure].flatMap((c) => c?.conditions ?? []).flatMap((c) => c.rules ?? []);
  const decl = rules.find((d) => d.name === r.ruleName);
  const result: Record<string, unknown> = {};
  if (r.summary) result.externalExecutionSummary = r.summary;
  if (r.errorDetails) result.errorDetails = r.errorDetails;
  return {
    pipelineExecutionId: exec.id,
    ruleExecutionId: r.id,
    pipelineVersion: exec.pipelineVersion,
    stageName: stage,
    ruleName: r.ruleName,
    startTime: seconds(r.startMs),
    lastUpdateTime: seconds(r.lastUpdateMs),
    status: r.status,
    input: {
      ruleTypeId: decl?.ruleTypeId ?? { category: "Rule", owner: "AWS", provider: r.provider, version: "1" },
      configuration: decl?.configuration ?? {},
      resolvedConfiguration: decl?.configuration ?? {},
      region: decl?.region ?? world.env.region,
    },
    output: Object.keys(result).length ? { executionResult: result } : {},
  };
}

const listRuleExecutions: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const { exec, latestOnly } = filteredExecution(ctx, p, input.filter as Filter | undefined);
  // History executions carry no rule runs, so only live executions can have any.
  const execs = exec ? [exec] : [...p.live].reverse().map((id) => ctx.world.executions.get(id)).filter((e): e is ExecutionRecord => e !== undefined);
  const rows = execs.flatMap((e) => {
    const conds = e.stages.flatMap((s) => s.conditions.map((c) => ({ stage: s.name, c })));
    const chosen = latestOnly ? conds.filter((x, i) => !conds.slice(i + 1).some((y) => y.stage === x.stage && y.c.kind === x.c.kind)) : conds;
    return chosen.flatMap((x) => x.c.rules.map((r) => ({ e, stage: x.stage, r }))).reverse();
  });
  const r = page(ctx.secret, `LRE|${p.name}|${exec?.id ?? ""}|${String(latestOnly)}`, rows.length, maxResults(input, 100), str(input.nextToken));
  const details = rows.slice(r.start, r.end).map((x) => ruleDetail(ctx.world, p, x.e, x.stage, x.r));
  return r.next ? { ruleExecutionDetails: details, nextToken: r.next } : { ruleExecutionDetails: details };
};

export const actionExecutionOps: Record<string, Handler> = {
  ListActionExecutions: listActionExecutions,
  ListRuleExecutions: listRuleExecutions,
};
