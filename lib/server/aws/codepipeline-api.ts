// The only place that calls CodePipeline: every call goes through the target's budget (./budgeted-call)
// and returns our own shapes.
import "server-only";
import {
  type CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListRuleExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import type { RequestBudget } from "./rate-limiter";
import { budgetedCall } from "./budgeted-call";
import { mapPipelineDefinition, mapPipelineSummary } from "./map-definition";
import { mapActionExecution, mapExecutionDetail, mapExecutionSummary, mapRuleExecution } from "./map-execution";
import { mapPipelineState } from "./map-state";
import { str } from "./text";
import type {
  ActionExecutionInfo,
  AwsOperation,
  ExecutionDetailInfo,
  ExecutionSummaryInfo,
  Page,
  PipelineDefinitionInfo,
  PipelineStateInfo,
  PipelineSummaryInfo,
  RuleExecutionInfo,
} from "./types";

export interface CodePipelineApi {
  listPipelines(nextToken?: string | null): Promise<Page<PipelineSummaryInfo>>;
  getPipeline(name: string): Promise<PipelineDefinitionInfo | null>;
  getPipelineState(name: string): Promise<PipelineStateInfo>;
  listExecutions(name: string, maxResults: number, nextToken?: string | null): Promise<Page<ExecutionSummaryInfo>>;
  getExecution(name: string, executionId: string): Promise<ExecutionDetailInfo | null>;
  listActionExecutions(
    name: string,
    options: { executionId?: string; nextToken?: string | null },
  ): Promise<Page<ActionExecutionInfo>>;
  listRuleExecutions(
    name: string,
    options: { executionId?: string; nextToken?: string | null },
  ): Promise<Page<RuleExecutionInfo>>;
}

export function createCodePipelineApi(
  client: CodePipelineClient,
  budget: RequestBudget,
  onRequest?: (operation: AwsOperation) => void,
): CodePipelineApi {
  const call = budgetedCall(budget, onRequest);
  const token = (value: unknown) => str(value, 2048);
  const compact = <A, B>(items: A[] | undefined, map: (item: A) => B | null): B[] =>
    (items ?? []).flatMap((item) => {
      const mapped = map(item);
      return mapped ? [mapped] : [];
    });

  return {
    listPipelines: (nextToken) =>
      call("ListPipelines", async () => {
        const out = await client.send(
          new ListPipelinesCommand({ maxResults: 1000, nextToken: nextToken ?? undefined }),
        );
        return { items: compact(out.pipelines, mapPipelineSummary), nextToken: token(out.nextToken) };
      }),
    getPipeline: (name) =>
      call("GetPipeline", async () => mapPipelineDefinition(await client.send(new GetPipelineCommand({ name })))),
    getPipelineState: (name) =>
      call("GetPipelineState", async () => mapPipelineState(await client.send(new GetPipelineStateCommand({ name })))),
    listExecutions: (name, maxResults, nextToken) =>
      call("ListPipelineExecutions", async () => {
        const out = await client.send(
          new ListPipelineExecutionsCommand({ pipelineName: name, maxResults, nextToken: nextToken ?? undefined }),
        );
        return { items: compact(out.pipelineExecutionSummaries, mapExecutionSummary), nextToken: token(out.nextToken) };
      }),
    getExecution: (name, executionId) =>
      call("GetPipelineExecution", async () => {
        const out = await client.send(
          new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: executionId }),
        );
        return mapExecutionDetail(out.pipelineExecution);
      }),
    listActionExecutions: (name, { executionId, nextToken }) =>
      call("ListActionExecutions", async () => {
        const out = await client.send(
          new ListActionExecutionsCommand({
            pipelineName: name,
            maxResults: 100,
            nextToken: nextToken ?? undefined,
            filter: executionId ? { pipelineExecutionId: executionId } : undefined,
          }),
        );
        return { items: compact(out.actionExecutionDetails, mapActionExecution), nextToken: token(out.nextToken) };
      }),
    listRuleExecutions: (name, { executionId, nextToken }) =>
      call("ListRuleExecutions", async () => {
        const out = await client.send(
          new ListRuleExecutionsCommand({
            pipelineName: name,
            maxResults: 100,
            nextToken: nextToken ?? undefined,
            filter: executionId ? { pipelineExecutionId: executionId } : undefined,
          }),
        );
        return { items: compact(out.ruleExecutionDetails, mapRuleExecution), nextToken: token(out.nextToken) };
      }),
  };
}
