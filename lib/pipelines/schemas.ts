import { z } from "zod";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const OVERVIEW_STATUSES = [
  "attention",
  "failed",
  "running",
  "succeeded",
  "approval",
  "stopped",
  "none",
] as const;

export const overviewFiltersSchema = z.object({
  q: text(100),
  status: z.enum(OVERVIEW_STATUSES).optional().catch(undefined),
  /** "1" renders every pipeline; otherwise the page stops after OVERVIEW_RENDER_LIMIT rows. */
  all: z.literal("1").optional().catch(undefined),
});

export const OVERVIEW_RENDER_LIMIT = 100;
export type OverviewFilters = Partial<z.infer<typeof overviewFiltersSchema>>;

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
  pipeline: z.string().trim().max(64).optional(),
  repository: z.string().trim().max(200).optional(),
});
export type ChangeScope = z.infer<typeof changeScopeSchema>;
