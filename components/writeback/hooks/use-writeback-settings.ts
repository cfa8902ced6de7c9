"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as api from "@/lib/writeback/settings-api-client";
import { writebackSettingsKeys } from "@/lib/writeback/settings-query-keys";
import type { WritebackSettingsUpdate } from "@/lib/writeback/settings-schemas";

/** The repository's write-back settings; read only for its admins (the route asks GitHub every time). */
export function useWritebackSettings(fullName: string) {
  return useQuery({
    queryKey: writebackSettingsKeys.detail(fullName),
    queryFn: ({ signal }) => api.fetchWritebackSettings(fullName, signal),
    // A refusal (not an admin any more, GitHub unreachable) is shown, not retried behind the person's back.
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** Saves a change; the answer is the settings as stored, so the section shows them without asking again. */
export function useSaveWritebackSettings(fullName: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WritebackSettingsUpdate) => api.putWritebackSettings(fullName, body),
    onSuccess: (view) => queryClient.setQueryData(writebackSettingsKeys.detail(fullName), view),
    onError: () => queryClient.invalidateQueries({ queryKey: writebackSettingsKeys.detail(fullName) }),
  });
}
