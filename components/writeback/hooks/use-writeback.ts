"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as api from "@/lib/writeback/api-client";
import { writebackKeys } from "@/lib/writeback/query-keys";
import type { RetryWritebackBody, WritebackOverviewView } from "@/lib/writeback/schemas";

/** The write-back queue's overview; refetched every 5 s while jobs are still waiting to be sent. */
export function useWritebackOverview(initialData: WritebackOverviewView) {
  return useQuery({
    queryKey: writebackKeys.overview(),
    queryFn: ({ signal }) => api.fetchWritebackOverview(signal),
    initialData,
    refetchInterval: (query) => ((query.state.data?.counts.pending ?? 0) > 0 ? 5_000 : false),
  });
}

export function useRetryWriteback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RetryWritebackBody) => api.retryWriteback(body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: writebackKeys.overview() }),
  });
}
