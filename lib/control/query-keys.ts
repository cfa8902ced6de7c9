import type { AuditFilters } from "./audit-filters";

/**
 * What the approval and control parts of the pages cache. Approvals change with the change feed's
 * `approval` rows (lib/pipelines/live-invalidation.ts); rights change with GitHub permissions and
 * policy, so they are refetched when the page is opened again, not on pipeline changes.
 */
export const approvalKeys = {
  all: ["approvals"] as const,
  inbox: () => [...approvalKeys.all, "inbox"] as const,
  count: () => [...approvalKeys.all, "count"] as const,
  details: () => [...approvalKeys.all, "detail"] as const,
  detail: (id: string) => [...approvalKeys.details(), id] as const,
};

export const controlKeys = {
  all: ["control"] as const,
  rights: (pipelineId: string) => [...controlKeys.all, "rights", pipelineId] as const,
  policy: (fullName: string) => [...controlKeys.all, "policy", fullName.toLowerCase()] as const,
};

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const,
};
