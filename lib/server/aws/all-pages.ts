// Every page of a paged AWS list, for lists that are short by nature (one execution's action executions):
// read them all first, so what they say is stored in one transaction.
import "server-only";
import type { CodePipelineApi } from "./codepipeline-api";
import type { ActionExecutionInfo, Page } from "./types";

export async function allPages<T>(fetchPage: (nextToken: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | null = null;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.nextToken;
  } while (token);
  return items;
}

/** One execution's action executions, every page (the one action listing of the engine). */
export function listAllActionExecutions(
  api: CodePipelineApi,
  pipelineName: string,
  executionId: string,
): Promise<ActionExecutionInfo[]> {
  return allPages((nextToken) => api.listActionExecutions(pipelineName, { executionId, nextToken }));
}
