"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { BUTTON, CARD, MUTED } from "@/components/ui/styles";
import { formatTimestamp } from "@/lib/format/time";
import type { UndeliveredJobView, WritebackOverviewView } from "@/lib/writeback/schemas";
import { useRetryWriteback, useWritebackOverview } from "./hooks/use-writeback";

const SMALL_BUTTON =
  "rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-600";

// A commit status belongs to the commit, not to one execution: its job links the pipeline.
const executionHref = (job: UndeliveredJobView) =>
  job.executionId
    ? `/pipelines/${encodeURIComponent(job.pipelineId)}/executions/${encodeURIComponent(job.executionId)}`
    : `/pipelines/${encodeURIComponent(job.pipelineId)}`;

function Counts({ counts }: Readonly<{ counts: WritebackOverviewView["counts"] }>) {
  const items = [
    ["pending", "Waiting to be sent", counts.pending],
    ["delivered", "Sent", counts.delivered],
    ["dead", "Dead letters", counts.dead],
    ["skipped", "Skipped (App not installed)", counts.skipped],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([key, label, value]) => (
        <div key={key} className={`${CARD} p-3`}>
          <dt className={`text-xs ${MUTED}`}>{label}</dt>
          <dd className="text-lg font-semibold" data-testid={`writeback-count-${key}`}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** GitHub write-back's queue for administrators: how many jobs are where, and those that did not reach GitHub. */
export function WritebackQueue({ initialData }: Readonly<{ initialData: WritebackOverviewView }>) {
  const { data } = useWritebackOverview(initialData);
  const retry = useRetryWriteback();
  const retrying = retry.isPending ? retry.variables : undefined;
  return (
    <div className="space-y-6">
      <p className={`max-w-3xl text-sm ${MUTED}`}>
        Check runs Stageboard posts to GitHub for each pipeline execution. A run GitHub did not accept after every retry
        is a dead letter; a repository the GitHub App is not installed on is skipped. Retrying sends the latest state
        again.
      </p>
      <Counts counts={data.counts} />
      {retry.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {retry.error.message}
        </p>
      )}
      {data.undelivered.length === 0 ? (
        <EmptyState title="Nothing undelivered">Every check run reached GitHub or is on its way.</EmptyState>
      ) : (
        <section className={`${CARD} overflow-x-auto p-4`}>
          <div className="mb-3 flex items-center justify-between gap-3">
            <h2 className="font-semibold">Not delivered</h2>
            <button
              type="button"
              className={BUTTON}
              disabled={retry.isPending}
              onClick={() => retry.mutate({ all: true })}
            >
              {retrying && "all" in retrying ? "Retrying…" : "Retry all"}
            </button>
          </div>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Write-back jobs that did not reach GitHub</caption>
            <thead className={`text-xs ${MUTED}`}>
              <tr>
                <th className="py-1 font-medium">Check run</th>
                <th className="py-1 font-medium">Repository and commit</th>
                <th className="py-1 font-medium">Attempts</th>
                <th className="py-1 font-medium">Last error</th>
                <th className="py-1 font-medium">Updated</th>
                <th className="py-1" />
              </tr>
            </thead>
            <tbody>
              {data.undelivered.map((job) => (
                <tr
                  key={job.id}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                  data-testid="writeback-job"
                >
                  <td className="py-1 pr-2 break-words">
                    <Link href={executionHref(job)} className="hover:underline">
                      {job.name}
                    </Link>
                    <span className={`block text-xs ${MUTED}`}>{job.state === "dead" ? "Dead letter" : "Skipped"}</span>
                  </td>
                  <td className="py-1 pr-2 break-words">
                    {job.repository} <code className="text-xs">{job.headSha.slice(0, 7)}</code>
                  </td>
                  <td className="py-1 pr-2">{job.attempts}</td>
                  <td className="py-1 pr-2 break-words text-red-700 dark:text-red-300">{job.lastError ?? "—"}</td>
                  <td className="py-1 pr-2 whitespace-nowrap">
                    <time dateTime={job.updatedAt}>{formatTimestamp(new Date(job.updatedAt))}</time>
                  </td>
                  <td className="py-1 text-right">
                    <button
                      type="button"
                      className={SMALL_BUTTON}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ jobIds: [job.id] })}
                    >
                      {retrying && "jobIds" in retrying && retrying.jobIds.includes(job.id) ? "Retrying…" : "Retry"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
