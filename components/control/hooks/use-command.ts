"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { postCommand } from "@/lib/control/api-client";
import type { CommandBody } from "@/lib/control/contract";
import { approvalKeys } from "@/lib/control/query-keys";
import { pipelineKeys } from "@/lib/pipelines/query-keys";

/**
 * Sends one command. Afterwards the pipeline is read again whatever the answer (the route re-syncs it), so
 * the graph shows what AWS did; the live stream carries what follows.
 */
export function useCommand(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CommandBody) => postCommand(pipelineId, body),
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: pipelineKeys.pipeline(pipelineId) }),
        queryClient.invalidateQueries({ queryKey: approvalKeys.all }),
      ]);
    },
  });
}
