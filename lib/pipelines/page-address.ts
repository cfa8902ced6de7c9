import type { z } from "zod";
import { auditFiltersSchema } from "@/lib/control/audit-filters";
import { policySettingsQuerySchema } from "@/lib/control/policy-form";
import { decodeSegment } from "@/lib/http/request-input";
import { insightQuerySchema } from "@/lib/insight/schemas";
import { commitSearchPageSchema } from "@/lib/search/schemas";
import {
  executionParamsSchema,
  historyFiltersSchema,
  overviewFiltersSchema,
  pipelineParamsSchema,
  pipelineViewSchema,
  repositoryParamsSchema,
} from "./schemas";

// The pages' own params and search-params schemas, applied by proxy.ts before a page renders. Each page
// checks its input again (parsePageInput), but by then a loading boundary may have begun streaming,
// and a 404 found that late goes out with status 200; checked here, a filter or id that does not fit
// answers 400 with a readable reason. Patterns follow app/(dashboard); pathnames arrive still encoded.

type PageAddress = { pattern: RegExp; params: readonly string[]; paramsSchema?: z.ZodType; querySchema?: z.ZodType };

const SEGMENT = "([^/]+)";
export const PAGE_ADDRESSES: readonly PageAddress[] = [
  { pattern: /^\/$/, params: [], querySchema: overviewFiltersSchema },
  {
    pattern: new RegExp(`^/pipelines/${SEGMENT}$`),
    params: ["id"],
    paramsSchema: pipelineParamsSchema,
    querySchema: pipelineViewSchema,
  },
  {
    pattern: new RegExp(`^/pipelines/${SEGMENT}/executions$`),
    params: ["id"],
    paramsSchema: pipelineParamsSchema,
    querySchema: historyFiltersSchema,
  },
  {
    pattern: new RegExp(`^/pipelines/${SEGMENT}/executions/${SEGMENT}$`),
    params: ["id", "executionId"],
    paramsSchema: executionParamsSchema,
  },
  {
    pattern: new RegExp(`^/pipelines/${SEGMENT}/insights$`),
    params: ["id"],
    paramsSchema: pipelineParamsSchema,
    querySchema: insightQuerySchema,
  },
  { pattern: /^\/insights$/, params: [], querySchema: insightQuerySchema },
  { pattern: /^\/approvals$/, params: [] },
  { pattern: /^\/search$/, params: [], querySchema: commitSearchPageSchema },
  // Administrators' pages: the GitHub App setup (its `notice` is looked up in a fixed list) and the write-back queue.
  { pattern: /^\/settings\/github-app$/, params: [] },
  { pattern: /^\/settings\/writeback$/, params: [] },
  { pattern: /^\/audit$/, params: [], querySchema: auditFiltersSchema },
  {
    pattern: new RegExp(`^/repositories/${SEGMENT}/${SEGMENT}/settings$`),
    params: ["owner", "name"],
    paramsSchema: repositoryParamsSchema,
    querySchema: policySettingsQuerySchema,
  },
  {
    pattern: new RegExp(`^/repositories/${SEGMENT}/${SEGMENT}/settings/notifications$`),
    params: ["owner", "name"],
    paramsSchema: repositoryParamsSchema,
  },
  {
    pattern: new RegExp(`^/repositories/${SEGMENT}/${SEGMENT}/insights$`),
    params: ["owner", "name"],
    paramsSchema: repositoryParamsSchema,
    querySchema: insightQuerySchema,
  },
  {
    pattern: new RegExp(`^/repositories/${SEGMENT}/${SEGMENT}$`),
    params: ["owner", "name"],
    paramsSchema: repositoryParamsSchema,
  },
];

export type PageAddressCheck = { kind: "ok" } | { kind: "rejected"; message: string };

function reason(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return `The ${what} cannot be read (${where}${issue?.message ?? "invalid"}).`;
}

export function checkPageAddress(pathname: string, searchParams: URLSearchParams): PageAddressCheck {
  for (const page of PAGE_ADDRESSES) {
    const match = page.pattern.exec(pathname);
    if (!match) continue;
    if (page.paramsSchema) {
      const params = Object.fromEntries(page.params.map((name, i) => [name, decodeSegment(match[i + 1] ?? "")]));
      const parsed = page.paramsSchema.safeParse(params);
      if (!parsed.success) return { kind: "rejected", message: reason(parsed.error, "address") };
    }
    if (page.querySchema) {
      // As the pages read them (firstValues): the first value of each parameter counts.
      const query: Record<string, string> = {};
      for (const [key, value] of searchParams) if (!(key in query)) query[key] = value;
      const parsed = page.querySchema.safeParse(query);
      if (!parsed.success) return { kind: "rejected", message: reason(parsed.error, "filter") };
    }
    return { kind: "ok" };
  }
  return { kind: "ok" };
}
