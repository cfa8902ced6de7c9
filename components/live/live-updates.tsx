"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { approvalKeys } from "@/lib/control/query-keys";
import { refetchTouched, touchedBy } from "@/lib/pipelines/live-invalidation";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { ChangeScope } from "@/lib/pipelines/schemas";
import { useLiveStream, type LiveHandlers, type LiveStatus } from "./hooks/use-live-stream";

const LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting",
  polling: "Polling",
  paused: "Paused",
  ended: "Signed out",
};

/**
 * Keeps the page's queries current from its live stream: a change refetches only the queries it
 * touches (lib/pipelines/live-invalidation.ts); a reset (too far behind to say what changed) refetches
 * all of them, and refreshes the server-rendered rest of the page (the stale-data banner).
 */
export function LiveUpdates({
  pipeline,
  repository,
  eventId = null,
}: Readonly<ChangeScope & { eventId?: string | null }>) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const handlers = useMemo<LiveHandlers>(
    () => ({
      onChanges: (events) => void refetchTouched(queryClient, touchedBy(events, { repository })),
      onReset: () => {
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.all }, { cancelRefetch: false });
        void queryClient.invalidateQueries({ queryKey: approvalKeys.all }, { cancelRefetch: false });
        router.refresh();
      },
    }),
    [queryClient, repository, router],
  );
  const status = useLiveStream({ pipeline, repository }, { initialEventId: eventId, handlers });
  const healthy = status === "live" || status === "connecting";
  return (
    <p
      className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
      data-testid="live-status"
      data-status={status}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${healthy ? "bg-emerald-500" : status === "paused" ? "bg-zinc-400" : "bg-amber-500"}`}
      />
      {LABELS[status]}
    </p>
  );
}
