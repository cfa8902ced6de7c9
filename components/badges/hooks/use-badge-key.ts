"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as api from "@/lib/badges/api-client";
import { badgeKeys } from "@/lib/badges/query-keys";

/** The repository's badge key and addresses; read only for its admins (the route asks GitHub every time). */
export function useBadgeKey(fullName: string) {
  return useQuery({
    queryKey: badgeKeys.key(fullName),
    queryFn: ({ signal }) => api.fetchBadgeKey(fullName, signal),
    // A refusal (not an admin any more, GitHub unreachable) is shown, not retried behind the person's back.
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** Makes a new key; the answer is the new view, so the page shows the new key without asking again. */
export function useRotateBadgeKey(fullName: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.rotateBadgeKey(fullName),
    onSuccess: (view) => queryClient.setQueryData(badgeKeys.key(fullName), view),
    onError: () => queryClient.invalidateQueries({ queryKey: badgeKeys.key(fullName) }),
  });
}
