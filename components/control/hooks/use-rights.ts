"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchRights } from "@/lib/control/api-client";
import { controlKeys } from "@/lib/control/query-keys";

/**
 * What the viewer may do on a pipeline (advisory: each command asks GitHub again). Read when the page opens
 * and after a minute's staleness, not on pipeline changes, since it depends on permissions and policy only.
 */
export function usePipelineRights(pipelineId: string, enabled = true) {
  return useQuery({
    queryKey: controlKeys.rights(pipelineId),
    queryFn: ({ signal }) => fetchRights(pipelineId, signal),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
    retry: 1,
    enabled,
  });
}
