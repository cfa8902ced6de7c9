"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchChangeToken } from "@/lib/pipelines/api-client";
import { changeKeys } from "@/lib/pipelines/query-keys";
import type { ChangeScope } from "@/lib/pipelines/schemas";

export const LIVE_POLL_MS = 1_000;

/** Polls the cheap change token every second while the tab is visible. */
export function useChangeToken(scope: ChangeScope) {
  return useQuery({
    queryKey: changeKeys.detail(scope),
    queryFn: ({ signal }) => fetchChangeToken(scope, signal),
    refetchInterval: LIVE_POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
    retry: false,
  });
}
