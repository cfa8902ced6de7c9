import Link from "next/link";
import type { RepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";
import { ExecutionsTable } from "@/components/history/executions-table";
import { LiveUpdates } from "@/components/live/live-updates";
import { CommitRef } from "@/components/ui/commit-ref";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { CARD, LINK, MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";
import { pipelineRowData } from "./pipeline-row-data";
import { PipelineRows } from "./pipeline-rows";

export function RepositoryView({
  repository,
  now,
  eventId = null,
}: Readonly<{ repository: RepositoryOverview; now: Date; eventId?: string | null }>) {
  const names = new Map(repository.pipelines.map((p) => [p.id, p.name]));
  return (
    <div className="space-y-8">
      <PageHeader crumbs={[{ label: "Repositories", href: "/" }]} title={repository.fullName}>
        <div className="flex flex-wrap items-center gap-4 text-sm">
          <LiveUpdates repository={repository.fullName} eventId={eventId} />
          <Link href={`/repositories/${repository.fullName}/settings`} className={LINK}>
            Settings
          </Link>
          <Link href={`/audit?repository=${encodeURIComponent(repository.fullName)}`} className={LINK}>
            Audit log
          </Link>
        </div>
      </PageHeader>
      {repository.pipelines.length === 0 ? (
        <EmptyState title="No pipelines deliver this repository yet" />
      ) : (
        <>
          <section aria-labelledby="pipelines-heading" data-testid="repository">
            <h2 id="pipelines-heading" className="mb-2 font-medium">
              Pipelines
            </h2>
            <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
              <PipelineRows rows={repository.pipelines.map((row) => pipelineRowData(row, now))} />
            </ul>
          </section>
          <section aria-labelledby="deployed-heading">
            <h2 id="deployed-heading" className="mb-2 font-medium">
              What is deployed where
            </h2>
            {repository.deployments.length === 0 ? (
              <p className={`text-sm ${MUTED}`}>No deploy stage has succeeded yet.</p>
            ) : (
              <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {repository.deployments.map((d) => (
                  <li key={`${d.pipelineId}/${d.stageName}`} data-testid="deployment" className={`p-3 text-sm ${CARD}`}>
                    <p className="font-medium">{d.stageName}</p>
                    <p className={`text-xs ${MUTED}`}>
                      <Link href={`/pipelines/${d.pipelineId}`} className="hover:underline">
                        {d.pipelineName}
                      </Link>
                      {d.branch && (
                        <>
                          {" "}
                          · <span className="font-mono">{d.branch}</span>
                        </>
                      )}{" "}
                      · <TimeAgo value={d.endTime ?? d.startTime} now={now} />
                    </p>
                    <div className="mt-1">
                      <CommitRef sha={d.commitSha} message={d.commitMessage} url={d.commitUrl} />
                    </div>
                    <Link
                      href={`/pipelines/${d.pipelineId}/executions/${encodeURIComponent(d.executionId)}`}
                      className="text-xs text-sky-700 hover:underline dark:text-sky-400"
                      aria-label={`Execution ${d.executionId} deployed to ${d.stageName}`}
                    >
                      Execution {d.executionId.slice(0, 8)}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading" className="mb-2 font-medium">
              Recent executions
            </h2>
            {repository.recent.length === 0 ? (
              <p className={`text-sm ${MUTED}`}>No executions yet.</p>
            ) : (
              <ExecutionsTable
                items={repository.recent}
                now={now}
                caption={`Recent executions of ${repository.fullName}`}
                pipelineNames={names}
              />
            )}
          </section>
        </>
      )}
    </div>
  );
}
