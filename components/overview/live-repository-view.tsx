"use client";

import { useLiveData } from "@/components/live/hooks/use-live-data";
import { fetchRepository } from "@/lib/pipelines/api-client";
import { pipelineKeys } from "@/lib/pipelines/query-keys";
import type { RepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";
import { RepositoryView } from "./repository-view";

/** A repository page, refetched (GET /api/repositories/:owner/:name) when one of its pipelines changes. */
export function LiveRepositoryView({
  initialData,
  serverNow,
  eventId,
}: Readonly<{ initialData: RepositoryOverview; serverNow: Date; eventId: string | null }>) {
  const { data, now } = useLiveData({
    queryKey: pipelineKeys.repository(initialData.fullName),
    queryFn: (signal) => fetchRepository<RepositoryOverview>(initialData.fullName, signal),
    initialData,
    serverNow,
  });
  return <RepositoryView repository={data} now={now} eventId={eventId} />;
}
