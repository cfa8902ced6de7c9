// The only place that calls CodePipeline: every call spends one token of the target's budget, feeds
// throttling back into it, and returns our own shapes.
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
import type { RequestBudget } from "@/lib/server/sync/rate-limiter";
import { classifyAwsError } from "./errors";
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

const MAX_THROTTLED_ATTEMPTS = 3;

export interface CodePipelineApi {
  listPipelines(nextToken?: string | null): Promise<Page<PipelineSummaryInfo>>;
  getPipeline(name: string): Promise<PipelineDefinitionInfo | null>;
  getPipelineState(name: string): Promise<PipelineStateInfo>;
  listExecutions(name: string, maxResults: number, nextToken?: string | null): Promise<Page<ExecutionSummaryInfo>>;
  getExecution(name: string, executionId: string): Promise<ExecutionDetailInfo | null>;
  listActionExecutions(name: string, options: { executionId?: string; nextToken?: string | null }): Promise<Page<ActionExecutionInfo>>;
  listRuleExecutions(name: string, options: { executionId?: string; nextToken?: string | null }): Promise<Page<RuleExecutionInfo>>;
}

/** A connection that dropped mid-request (the SDK names socket resets TimeoutError; the message says what happened). */
const DROPPED_CONNECTION = /ECONNRESET|EPIPE|socket hang up/i;

export function createCodePipelineApi(
  client: CodePipelineClient,
  budget: RequestBudget,
  onRequest?: (operation: AwsOperation) => void,
): CodePipelineApi {
  async function call<T>(operation: AwsOperation, run: () => Promise<T>): Promise<T> {
    // A throttled call is retried through the (now slower) budget a few times before the step gives up.
    // A connection dropped under the request (a kept-alive socket closed by the other side as it was
    // reused) is retried once: every call here only reads, so repeating it is safe.
    let dropRetried = false;
    for (let attempt = 1; ; attempt++) {
      await budget.take();
      onRequest?.(operation);
      try {
        const result = await run();
        budget.onSuccess();
        return result;
      } catch (error) {
        const classified = classifyAwsError(operation, error);
        if (classified.kind === "transient" && DROPPED_CONNECTION.test(classified.message) && !dropRetried) {
          dropRetried = true;
          continue;
        }
        if (classified.kind !== "throttled") throw classified;
        budget.onThrottle();
        if (attempt >= MAX_THROTTLED_ATTEMPTS) throw classified;
      }
    }
  }
  const token = (value: unknown) => str(value, 2048);
  const compact = <A, B>(items: A[] | undefined, map: (item: A) => B | null): B[] =>
    (items ?? []).flatMap((item) => {
      const mapped = map(item);
      return mapped ? [mapped] : [];
    });

  return {
    listPipelines: (nextToken) =>
      call("ListPipelines", async () => {
        const out = await client.send(new ListPipelinesCommand({ maxResults: 1000, nextToken: nextToken ?? undefined }));
        return { items: compact(out.pipelines, mapPipelineSummary), nextToken: token(out.nextToken) };
      }),
    getPipeline: (name) => call("GetPipeline", async () => mapPipelineDefinition(await client.send(new GetPipelineCommand({ name })))),
    getPipelineState: (name) => call("GetPipelineState", async () => mapPipelineState(await client.send(new GetPipelineStateCommand({ name })))),
    listExecutions: (name, maxResults, nextToken) =>
      call("ListPipelineExecutions", async () => {
        const out = await client.send(
          new ListPipelineExecutionsCommand({ pipelineName: name, maxResults, nextToken: nextToken ?? undefined }),
        );
        return { items: compact(out.pipelineExecutionSummaries, mapExecutionSummary), nextToken: token(out.nextToken) };
      }),
    getExecution: (name, executionId) =>
      call("GetPipelineExecution", async () => {
        const out = await client.send(new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: executionId }));
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
