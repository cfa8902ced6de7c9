"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchApproval, fetchApprovalCount, fetchInbox } from "@/lib/control/api-client";
import type { ApprovalDetail } from "@/lib/control/contract";
import { approvalKeys } from "@/lib/control/query-keys";

// Approvals change only with the change feed (the page's live stream invalidates these keys), so they are
// never stale by age; a page opened again (or a tab shown again) reads them afresh.

/** The inbox: every pending approval the viewer can see, the ones they may decide first. */
export function useInbox() {
  return useQuery({
    queryKey: approvalKeys.inbox(),
    queryFn: ({ signal }) => fetchInbox(signal),
    staleTime: Infinity,
    retry: 1,
  });
}

/** The header's badge: counts only. */
export function useApprovalCount() {
  return useQuery({
    queryKey: approvalKeys.count(),
    queryFn: ({ signal }) => fetchApprovalCount(signal),
    staleTime: Infinity,
    retry: 1,
  });
}

/** One approval with what is being approved (commits, compare, stages before, votes). */
export function useApproval(id: string, options: { initialData?: ApprovalDetail; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: approvalKeys.detail(id),
    queryFn: ({ signal }) => fetchApproval(id, signal),
    initialData: options.initialData,
    enabled: options.enabled ?? true,
    staleTime: Infinity,
    retry: 1,
  });
}
