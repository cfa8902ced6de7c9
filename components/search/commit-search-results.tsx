import Link from "next/link";
import { CommitRef } from "@/components/ui/commit-ref";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, LINK, MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";
import type { CommitQuery } from "@/lib/search/commit-query";
import type { CommitMatch, EnvironmentAnswer } from "@/lib/server/search/place-commits";
import type { CommitSearchResult } from "@/lib/server/search/search-commits";

const pipelineHref = (id: string) => `/pipelines/${encodeURIComponent(id)}`;
const executionHref = (pipelineId: string, executionId: string) =>
  `${pipelineHref(pipelineId)}/executions/${encodeURIComponent(executionId)}`;

function describe(query: CommitQuery): string {
  return query.kind === "pull-request" ? `pull request #${query.number}` : query.prefix;
}

/** What a stage's status for the commit means for the environment behind it. */
function runsLabel(env: EnvironmentAnswer): string {
  if (env.status === "Succeeded") return "runs it";
  if (env.status === "InProgress") return "deploying it";
  return `${env.status.toLowerCase()} with it`;
}

function Environments({ commit }: Readonly<{ commit: CommitMatch }>) {
  if (commit.environments.length === 0)
    return <p className={`text-sm ${MUTED}`}>No stage runs this commit now: newer executions have replaced it.</p>;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Where it runs now">
      {commit.environments.map((env) => (
        <li
          key={`${env.pipeline.id}-${env.stage}`}
          data-testid="commit-environment"
          className="rounded-md border border-zinc-200 px-2 py-1 text-sm dark:border-zinc-700"
        >
          <Link href={pipelineHref(env.pipeline.id)} className={LINK}>
            {env.pipeline.name}
          </Link>{" "}
          · {env.stage}
          {env.environment && env.environment !== env.stage && <> → {env.environment}</>}
          {env.production && <span className="ml-1 font-medium">(production)</span>}{" "}
          <span className={MUTED}>{runsLabel(env)}</span>
        </li>
      ))}
    </ul>
  );
}

function CommitCard({ commit, now }: Readonly<{ commit: CommitMatch; now: Date }>) {
  return (
    <section className={`${CARD} space-y-3 p-4`} data-testid="commit-result" aria-label={`Commit ${commit.sha}`}>
      <div className="flex flex-wrap items-baseline gap-2">
        <CommitRef sha={commit.sha} message={commit.message} url={commit.url} />
        <span className={`font-mono text-xs ${MUTED}`}>{commit.sha}</span>
      </div>
      <div>
        <h3 className="mb-1 text-sm font-semibold">Where it runs now</h3>
        <Environments commit={commit} />
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Executions carrying {commit.sha}</caption>
          <thead className={`text-xs ${MUTED}`}>
            <tr>
              <th className="px-2 py-1 font-medium">Pipeline</th>
              <th className="px-2 py-1 font-medium">Execution</th>
              <th className="px-2 py-1 font-medium">Status</th>
              <th className="px-2 py-1 font-medium">Got to</th>
              <th className="px-2 py-1 font-medium">Branch</th>
              <th className="px-2 py-1 font-medium">Started</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {commit.executions.map((e) => (
              <tr key={`${e.pipeline.id}-${e.executionId}`} data-testid="commit-execution">
                <td className="px-2 py-1">
                  <Link href={pipelineHref(e.pipeline.id)} className={LINK}>
                    {e.pipeline.name}
                  </Link>
                  {e.pipeline.repository && <div className={`text-xs ${MUTED}`}>{e.pipeline.repository}</div>}
                </td>
                <td className="px-2 py-1">
                  <Link
                    href={executionHref(e.pipeline.id, e.executionId)}
                    className={`font-mono text-xs ${LINK}`}
                    aria-label={`Execution ${e.executionId}`}
                  >
                    {e.executionId.slice(0, 8)}
                  </Link>
                </td>
                <td className="px-2 py-1">
                  <StatusBadge status={e.status} />
                </td>
                <td className="px-2 py-1">
                  {e.reached ? (
                    <>
                      {e.reached.stage}{" "}
                      <span className={`text-xs ${MUTED}`}>
                        {e.reached.number !== null && e.reached.of > 0
                          ? `(stage ${e.reached.number} of ${e.reached.of}, ${e.reached.status})`
                          : `(${e.reached.status})`}
                      </span>
                    </>
                  ) : (
                    <span className={MUTED}>No stage recorded</span>
                  )}
                </td>
                <td className="px-2 py-1 font-mono text-xs">{e.branch ?? ""}</td>
                <td className="whitespace-nowrap px-2 py-1 text-xs">
                  <TimeAgo value={e.startTime} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function CommitSearchResults({
  query,
  result,
  now,
}: Readonly<{ query: CommitQuery; result: CommitSearchResult; now: Date }>) {
  if (result.commits.length === 0)
    return (
      <EmptyState title={`No execution of your pipelines carries ${describe(query)}`}>
        {query.kind === "pull-request"
          ? "Pull requests are found by the message GitHub writes when it merges one (“Merge pull request #42 …” or “… (#42)”)."
          : "Only pipelines of repositories you can read on GitHub are searched."}
      </EmptyState>
    );
  const executions = result.commits.reduce((n, c) => n + c.executions.length, 0);
  return (
    <div className="space-y-4">
      <p className={`text-sm ${MUTED}`} aria-live="polite">
        {result.commits.length > 1
          ? `${describe(query)} matches ${result.commits.length} commits; type more of the SHA to pick one. `
          : ""}
        {executions} execution{executions === 1 ? "" : "s"}
        {result.truncated ? " (the newest; more matched)" : ""}.
      </p>
      {result.commits.map((commit) => (
        <CommitCard key={commit.sha} commit={commit} now={now} />
      ))}
    </div>
  );
}
