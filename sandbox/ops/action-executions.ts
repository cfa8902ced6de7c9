// ListActionExecutions and ListRuleExecutions, newest first, with both execution filters.
import type { ActionDeclaration } from "@aws-sdk/client-codepipeline";
import { AwsError } from "../core/errors";
import type { ActionRun, ExecutionRecord, PipelineRecord, RuleRun } from "../core/types";
import type { World } from "../core/world";
import { declarationOf, findExecution } from "../sim/lookup";
import { decodeToken, page } from "../wire/page-token";
import { seconds } from "../wire/shapes";
import { maxResults, pipelineNamed, str, type Handler, type OpContext } from "./context";
import { walkNewestFirst } from "./walk-executions";

interface Filter {
  pipelineExecutionId?: string;
  latestInPipelineExecution?: { pipelineExecutionId?: string; startTimeRange?: string };
}

function declOf(
  p: PipelineRecord,
  exec: ExecutionRecord,
  stage: string,
  action: string,
): ActionDeclaration | undefined {
  return declarationOf(p, exec)
    .stages?.find((s) => s.name === stage)
    ?.actions?.find((a) => a.name === action);
}

function masked(config: Record<string, string> | undefined): Record<string, string> {
  return config?.OAuthToken !== undefined ? { ...config, OAuthToken: "****" } : { ...(config ?? {}) };
}

function actionDetail(world: World, p: PipelineRecord, exec: ExecutionRecord, a: ActionRun): Record<string, unknown> {
  const decl = declOf(p, exec, a.stageName, a.actionName);
  const bucket = declarationOf(p, exec).artifactStore?.location ?? "codepipeline-artifacts";
  const artifact = (name: string | undefined) => ({
    name,
    s3location: { bucket, key: `${p.name.slice(0, 20)}/${(name ?? "").slice(0, 10)}/${a.id.slice(0, 7)}` },
  });
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
  const chosen = latestOnly
    ? all.filter((a, i) => !all.slice(i + 1).some((b) => b.stageName === a.stageName && b.actionName === a.actionName))
    : all;
  return chosen.reverse();
}

function filteredExecution(
  ctx: OpContext,
  p: PipelineRecord,
  filter: Filter | undefined,
): { exec?: ExecutionRecord; latestOnly: boolean } {
  const id = filter?.pipelineExecutionId ?? filter?.latestInPipelineExecution?.pipelineExecutionId;
  if (id === undefined) return { latestOnly: false };
  const exec = findExecution(ctx.world, p, id);
  if (!exec)
    throw new AwsError(
      "PipelineExecutionNotFoundException",
      `Pipeline execution with ID '${id}' was not found in pipeline '${p.name}'.`,
    );
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
  const walked = walkNewestFirst(ctx, p, `LAE|${p.name}`, token, max, (e) => actionsNewestFirst(e, false));
  const details = walked.items.map((x) => actionDetail(ctx.world, p, x.e, x.item));
  return walked.next
    ? { actionExecutionDetails: details, nextToken: walked.next }
    : { actionExecutionDetails: details };
};

function ruleDetail(
  world: World,
  p: PipelineRecord,
  exec: ExecutionRecord,
  stage: string,
  r: RuleRun,
): Record<string, unknown> {
  const stageDecl = declarationOf(p, exec).stages?.find((s) => s.name === stage);
  const rules = [stageDecl?.beforeEntry, stageDecl?.onSuccess, stageDecl?.onFailure]
    .flatMap((c) => c?.conditions ?? [])
    .flatMap((c) => c.rules ?? []);
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

function rulesNewestFirst(e: ExecutionRecord, latestOnly: boolean): { stage: string; r: RuleRun }[] {
  const conds = e.stages.flatMap((s) => s.conditions.map((c) => ({ stage: s.name, c })));
  const chosen = latestOnly
    ? conds.filter((x, i) => !conds.slice(i + 1).some((y) => y.stage === x.stage && y.c.kind === x.c.kind))
    : conds;
  return chosen.flatMap((x) => x.c.rules.map((r) => ({ stage: x.stage, r }))).reverse();
}

function declaresConditions(p: PipelineRecord): boolean {
  return p.declarations.some((d) =>
    (d.stages ?? []).some((s) => [s.beforeEntry, s.onSuccess, s.onFailure].some((c) => c?.conditions?.length)),
  );
}

const listRuleExecutions: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.pipelineName);
  const max = maxResults(input, 100);
  const token = str(input.nextToken);
  const { exec, latestOnly } = filteredExecution(ctx, p, input.filter as Filter | undefined);
  if (exec) {
    const rows = rulesNewestFirst(exec, latestOnly);
    const r = page(ctx.secret, `LRE|${p.name}|${exec.id}|${String(latestOnly)}`, rows.length, max, token);
    const details = rows.slice(r.start, r.end).map((x) => ruleDetail(ctx.world, p, exec, x.stage, x.r));
    return r.next ? { ruleExecutionDetails: details, nextToken: r.next } : { ruleExecutionDetails: details };
  }
  const scope = `LRE|${p.name}`;
  // A pipeline that never declared conditions has no rule runs: no need to walk its history to find none.
  if (!declaresConditions(p)) {
    if (token !== undefined) decodeToken(ctx.secret, token, scope);
    return { ruleExecutionDetails: [] };
  }
  const walked = walkNewestFirst(ctx, p, scope, token, max, (e) => rulesNewestFirst(e, false));
  const details = walked.items.map((x) => ruleDetail(ctx.world, p, x.e, x.item.stage, x.item.r));
  return walked.next ? { ruleExecutionDetails: details, nextToken: walked.next } : { ruleExecutionDetails: details };
};

export const actionExecutionOps: Record<string, Handler> = {
  ListActionExecutions: listActionExecutions,
  ListRuleExecutions: listRuleExecutions,
};
