"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { postDecision } from "@/lib/control/api-client";
import type { DecisionBody } from "@/lib/control/contract";
import { approvalKeys } from "@/lib/control/query-keys";
import { pipelineKeys } from "@/lib/pipelines/query-keys";

/**
 * Approve or reject. Whatever the answer (sent, recorded, refused, or someone else first), the approval and
 * its pipeline are read again, so the panel shows what AWS now holds and the next stage starting; the live
 * stream keeps it moving after that.
 */
export function useDecision(approval: { id: string; pipelineId: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DecisionBody) => postDecision(approval.id, body),
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: approvalKeys.all }),
        queryClient.invalidateQueries({ queryKey: pipelineKeys.pipeline(approval.pipelineId) }),
      ]);
    },
  });
}
