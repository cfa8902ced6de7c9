"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { requestJson } from "@/lib/http/request-json";
import type { GateSettingsUpdate, GateSettingsView } from "@/lib/server/gate/settings/schemas";

// The browser's side of GET/PUT /api/pipelines/[id]/gate. A change is sent once, from this origin (the route refuses
// any other), and answers the settings as they now are.

const path = (pipelineId: string) => `/api/pipelines/${encodeURIComponent(pipelineId)}/gate`;
const key = (pipelineId: string) => ["gate-settings", pipelineId] as const;

/** One pipeline's release gate; read only for its repository's admins (the route asks GitHub every time). */
export function useGateSettings(pipelineId: string) {
  return useQuery({
    queryKey: key(pipelineId),
    queryFn: async ({ signal }) => (await requestJson<GateSettingsView>(path(pipelineId), { signal })).data,
    // A refusal (not an admin any more, GitHub unreachable) is shown, not retried behind the person's back.
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export function useSaveGateSettings(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: GateSettingsUpdate) =>
      (await requestJson<GateSettingsView>(path(pipelineId), { method: "PUT", body: JSON.stringify(body) })).data,
    onSuccess: (view) => queryClient.setQueryData(key(pipelineId), view),
    onError: () => queryClient.invalidateQueries({ queryKey: key(pipelineId) }),
  });
}
