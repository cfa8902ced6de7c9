"use client";

import { useQuery, type QueryKey } from "@tanstack/react-query";

/**
 * One live part of a page: first painted from the server render's data, then kept current by
 * refetching its JSON route whenever the page's live stream invalidates its key (LiveUpdates). It is
 * never stale by age: only a change can make it stale. `now` is the server's until the first
 * refetch, so the browser's first render matches the server's HTML.
 */
export function useLiveData<T extends object>(input: {
  queryKey: QueryKey;
  queryFn: (signal: AbortSignal) => Promise<T>;
  initialData: T;
  serverNow: Date;
}): { data: T; now: Date } {
  const rendered = input.serverNow.getTime();
  const { data, dataUpdatedAt } = useQuery({
    queryKey: input.queryKey,
    queryFn: ({ signal }) => input.queryFn(signal),
    initialData: input.initialData,
    initialDataUpdatedAt: rendered,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: 1,
  });
  return { data, now: dataUpdatedAt > rendered ? new Date(dataUpdatedAt) : input.serverNow };
}
