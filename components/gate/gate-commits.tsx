import Link from "next/link";
import { LINK, MUTED } from "@/components/ui/styles";
import type { GateCommitView } from "@/lib/server/gate/settings/schemas";
import { shortSha, stateWords } from "./gate-form";

// The last commits at a pipeline's gate. Check names and errors come from GitHub and AWS: rendered as text only,
// and the one link is app-relative, built from the pipeline id and an execution id encoded as a path segment.

export function GateCommits({ pipelineId, commits }: Readonly<{ pipelineId: string; commits: GateCommitView[] }>) {
  if (commits.length === 0) return <p className={`text-sm ${MUTED}`}>No commit has reached the gate yet.</p>;
  return (
    <table className="min-w-full text-sm" data-testid="gate-commits">
      <caption className="pb-1 text-left font-medium">Recent commits at the gate</caption>
      <thead className={`text-xs ${MUTED}`}>
        <tr>
          <th scope="col" className="py-1 pr-3 text-left font-medium">
            Commit
          </th>
          <th scope="col" className="py-1 pr-3 text-left font-medium">
            State
          </th>
          <th scope="col" className="py-1 text-left font-medium">
            Details
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {commits.map((c) => (
          <tr key={c.sha} className="align-top">
            <td className="py-1 pr-3 font-mono" title={c.sha}>
              {shortSha(c.sha)} <span className={`font-sans text-xs ${MUTED}`}>{c.branch}</span>
            </td>
            <td className="py-1 pr-3">{stateWords(c.state)}</td>
            <td className="py-1">
              {c.executionId && (
                <Link
                  className={LINK}
                  href={`/pipelines/${encodeURIComponent(pipelineId)}/executions/${encodeURIComponent(c.executionId)}`}
                >
                  Execution {c.executionId.slice(0, 8)}
                </Link>
              )}
              {c.verdict && c.verdict.failed.length > 0 && (
                <span className="block">Failed: {c.verdict.failed.join(", ")}</span>
              )}
              {c.state === "waiting" && c.verdict && c.verdict.waiting.length > 0 && (
                <span className={`block ${MUTED}`}>Waiting for: {c.verdict.waiting.join(", ")}</span>
              )}
              {c.supersededBy && <span className={`block ${MUTED}`}>Superseded by {shortSha(c.supersededBy)}</span>}
              {c.lastError && <span className="block text-red-700 dark:text-red-300">{c.lastError}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
