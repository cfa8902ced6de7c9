import { z } from "zod";

// The audit page's filters: kept in its URL (a deep link an auditor can be sent), and passed unchanged
// to GET /api/audit, whose CSV and JSON exports take the same parameters.

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters")
    .optional()
    .transform((v) => (v ? v : undefined));

/** A day (the page's date inputs) or an instant; anything else is dropped rather than refused. */
const when = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "must be a date (YYYY-MM-DD)")
  .optional()
  .catch(undefined);

export const auditFiltersSchema = z.object({
  repository: text(200),
  pipeline: text(64),
  actor: text(39),
  action: text(40),
  outcome: text(40),
  from: when,
  to: when,
  cursor: text(200),
});
export type AuditFilters = Partial<z.infer<typeof auditFiltersSchema>>;

const ORDER = ["repository", "pipeline", "actor", "action", "outcome", "from", "to", "cursor"] as const;

/** The filters as query parameters, in a fixed order and without empty ones (one URL per filter set). */
export function auditSearchParams(filters: AuditFilters, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ORDER) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

const withQuery = (path: string, params: URLSearchParams) => {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
};

/** The audit page for these filters; a new filter set starts from the first page. */
export function auditPageHref(filters: AuditFilters, cursor: string | null = null): string {
  return withQuery("/audit", auditSearchParams({ ...filters, cursor: cursor ?? undefined }));
}

/** The export of every entry these filters match: no cursor, so it is the whole set, not the page shown. */
export function auditExportHref(filters: AuditFilters, format: "csv" | "json"): string {
  return withQuery("/api/audit", auditSearchParams({ ...filters, cursor: undefined }, { format }));
}

/** GET /api/audit for one page of the table (JSON). */
export function auditApiPath(filters: AuditFilters): string {
  return withQuery("/api/audit", auditSearchParams(filters));
}

export const hasAuditFilters = (filters: AuditFilters): boolean =>
  ORDER.some((key) => key !== "cursor" && Boolean(filters[key]));
