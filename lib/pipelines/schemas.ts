import { z } from "zod";
import { OVERVIEW_STATUSES } from "./overview-statuses";

/**
 * Text from an address: never a control character. PostgreSQL's text cannot hold NUL at all (a query
 * with one fails), and no name, branch or id of ours or AWS's contains one.
 */
const plain = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

const text = (max: number) =>
  plain(max)
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined));

// Kept apart from zod: the overview's filter form (a client component) needs only the list.
export { OVERVIEW_STATUSES };

export const overviewFiltersSchema = z.object({
  q: text(100),
  status: z.enum(OVERVIEW_STATUSES).optional().catch(undefined),
  /** Which page of OVERVIEW_RENDER_LIMIT rows (from 1); a page past the last shows the last. */
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

/** Rows per overview page: every pipeline stays reachable page by page, and a page stays a few hundred kB. */
export const OVERVIEW_RENDER_LIMIT = 100;
export type OverviewFilters = Partial<z.infer<typeof overviewFiltersSchema>> & {
  /** Every row at once, for callers in process (tests); no address asks for it, so no page sends megabytes. */
  all?: "1";
};

export const historyFiltersSchema = z.object({
  status: text(40),
  branch: text(255),
  commit: z
    .string()
    .trim()
    .max(64)
    .regex(/^[0-9a-fA-F]*$/)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v.toLowerCase() : undefined)),
  trigger: text(60),
  cursor: text(200),
});
export type HistoryFilters = Partial<z.infer<typeof historyFiltersSchema>>;

/** Search params arrive as string | string[]; only the first value of each counts. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out[key] = first;
  }
  return out;
}

/** What an open page watches for changes: one pipeline, one repository, or everything the viewer sees. */
export const changeScopeSchema = z.object({
  pipeline: plain(64).trim().optional(),
  repository: plain(200).trim().optional(),
});
export type ChangeScope = z.infer<typeof changeScopeSchema>;

// Route parameters, the one definition pages and API routes share. Next hands them over decoded (a
// malformed `%` escape never gets this far: proxy.ts answers 400), so nothing here decodes again.

/** Pipeline ids are ours (cuid): letters, digits, `_` and `-`. */
export const pipelineIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);
/** CodePipeline execution ids are UUIDs; a little room for other shapes, none for a paragraph. */
export const executionIdSchema = plain(100).min(1);
/** A GitHub owner (at most 39 characters) or repository name (at most 100): letters, digits, `-`, `_`, `.`. */
export const repositorySegmentSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/);

export const pipelineParamsSchema = z.object({ id: pipelineIdSchema });

/** A feed cursor as an SSE event id carries it ("<txid>-<id>", lib/server/feed/cursor.ts). */
export const feedCursorTextSchema = z
  .string()
  .max(41)
  .regex(/^\d{1,20}-\d{1,20}$/, "must be a feed cursor");

/**
 * GET /api/stream: one pipeline, one repository ("owner/name"), or (neither) everything the viewer sees;
 * `lastEventId` is where a reopened EventSource resumes (the Last-Event-ID header wins when both are sent).
 */
export const streamQuerySchema = z
  .object({
    pipeline: pipelineIdSchema.optional(),
    repository: z
      .string()
      .max(201)
      .refine((value) => {
        const parts = value.split("/");
        return parts.length === 2 && parts.every((part) => repositorySegmentSchema.safeParse(part).success);
      }, "must be owner/name")
      .optional(),
    lastEventId: feedCursorTextSchema.optional(),
  })
  .refine((scope) => !(scope.pipeline && scope.repository), "give a pipeline or a repository, not both");
export type StreamQuery = z.infer<typeof streamQuerySchema>;
export const executionParamsSchema = z.object({ id: pipelineIdSchema, executionId: executionIdSchema });
export const repositoryParamsSchema = z.object({ owner: repositorySegmentSchema, name: repositorySegmentSchema });

/** The pipeline page's `?execution=`: a past execution to show the graph as it ran. */
export const pipelineViewSchema = z.object({ execution: plain(100).trim().optional() });

/**
 * A page's params or search params through their schema, or null when they do not fit (the page then
 * answers 404: pages have no 400, and what fails is an address no link of ours produces).
 */
export function parsePageInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> | null {
  const parsed = schema.safeParse(input);
  return parsed.success ? parsed.data : null;
}
