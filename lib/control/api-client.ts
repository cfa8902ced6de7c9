import { ApiClientError, requestJson } from "@/lib/http/request-json";
import { auditApiPath, type AuditFilters } from "./audit-filters";
import type {
  ApprovalDetail,
  ApprovalView,
  CommandBody,
  CommandOutcome,
  DecisionBody,
  PipelineRights,
} from "./contract";

// The browser's side of the approval, control, audit and policy routes. Reads forward `signal`; writes
// send JSON from this origin (the routes refuse any other) and are never retried by the client: a second
// decision is for the person to make, and the route answers who decided first.

export { ApiClientError };

function request<T>(path: string, init: RequestInit = {}): Promise<{ data: T; meta: unknown }> {
  return requestJson<T>(path, init);
}

export type InboxMeta = { pending: number; decidable: number };

/** GET /api/approvals: every pending approval the viewer can see, the ones they may decide first. */
export async function fetchInbox(signal?: AbortSignal): Promise<{ items: ApprovalView[]; meta: InboxMeta }> {
  const { data, meta } = await request<ApprovalView[]>("/api/approvals", { signal });
  return { items: data, meta: meta as InboxMeta };
}

/** GET /api/approvals?count=1: only the counts (the header's badge). */
export async function fetchApprovalCount(signal?: AbortSignal): Promise<InboxMeta> {
  return (await request<unknown>("/api/approvals?count=1", { signal })).meta as InboxMeta;
}

/** GET /api/approvals/:id */
export async function fetchApproval(id: string, signal?: AbortSignal): Promise<ApprovalDetail> {
  return (await request<ApprovalDetail>(`/api/approvals/${encodeURIComponent(id)}`, { signal })).data;
}

/** POST /api/approvals/:id/decision */
export async function postDecision(id: string, body: DecisionBody): Promise<CommandOutcome> {
  const path = `/api/approvals/${encodeURIComponent(id)}/decision`;
  return (await request<CommandOutcome>(path, { method: "POST", body: JSON.stringify(body) })).data;
}

/** GET /api/pipelines/:id/rights */
export async function fetchRights(pipelineId: string, signal?: AbortSignal): Promise<PipelineRights> {
  return (await request<PipelineRights>(`/api/pipelines/${encodeURIComponent(pipelineId)}/rights`, { signal })).data;
}

/** POST /api/pipelines/:id/commands */
export async function postCommand(pipelineId: string, body: CommandBody): Promise<CommandOutcome> {
  const path = `/api/pipelines/${encodeURIComponent(pipelineId)}/commands`;
  return (await request<CommandOutcome>(path, { method: "POST", body: JSON.stringify(body) })).data;
}

/** GET /api/audit: one page of entries for these filters. */
export async function fetchAuditPage<Entry>(
  filters: AuditFilters,
  signal?: AbortSignal,
): Promise<{ items: Entry[]; nextCursor: string | null }> {
  const { data, meta } = await request<Entry[]>(auditApiPath(filters), { signal });
  return { items: data, nextCursor: (meta as { nextCursor?: string | null } | undefined)?.nextCursor ?? null };
}

const policyPath = (fullName: string) => {
  const [owner = "", name = ""] = fullName.split("/");
  return `/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/policy`;
};

/** GET /api/repositories/:owner/:name/policy */
export async function fetchPolicy<Policy>(fullName: string, signal?: AbortSignal): Promise<Policy> {
  return (await request<Policy>(policyPath(fullName), { signal })).data;
}

/** PUT /api/repositories/:owner/:name/policy */
export async function putPolicy<Body, Policy>(fullName: string, body: Body): Promise<Policy> {
  return (await request<Policy>(policyPath(fullName), { method: "PUT", body: JSON.stringify(body) })).data;
}
