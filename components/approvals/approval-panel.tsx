"use client";

import Link from "next/link";
import { firstLine, shortSha } from "@/lib/format/commit";
import { formatTimestamp } from "@/lib/format/time";
import { approvalsProgress, commitAuthor, decisionLine, expiryFact } from "@/lib/control/approval-text";
import type { ApprovalCommit, ApprovalDetail } from "@/lib/control/contract";
import { ExternalLink } from "@/components/ui/external-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, MUTED } from "@/components/ui/styles";
import { Countdown } from "./countdown";
import { DecisionForm } from "./decision-form";

function Author({ commit }: Readonly<{ commit: ApprovalCommit }>) {
  const author = commitAuthor(commit);
  if (author.kind === "login")
    return (
      <ExternalLink href={author.href} className="font-medium">
        @{author.login}
      </ExternalLink>
    );
  if (author.kind === "unlinked")
    return (
      <span>
        {author.name} <span className={`text-xs ${MUTED}`}>(no GitHub account)</span>
      </span>
    );
  return <span className={MUTED}>unknown author</span>;
}

/**
 * What is being approved, and the decision: the execution's commits, the compare link, the stages before,
 * AWS's CustomData and review link, who started it, when it was requested and when it expires, the votes
 * so far. All of it is text from AWS or GitHub, rendered as text; links only when http(s).
 */
export function ApprovalPanel({ approval: a }: Readonly<{ approval: ApprovalDetail }>) {
  const progress = approvalsProgress(a);
  const decided = decisionLine(a);
  const expiry = expiryFact(a);
  const fact = (term: string, value: React.ReactNode) => (
    <div>
      <dt className={`text-xs ${MUTED}`}>{term}</dt>
      <dd className="break-words">{value}</dd>
    </div>
  );
  return (
    <section
      id={`approval-${a.id}`}
      aria-labelledby={`approval-${a.id}-title`}
      data-testid="approval-panel"
      data-status={a.status}
      className={`scroll-mt-4 space-y-3 border-amber-300 p-4 text-sm dark:border-amber-800 ${CARD}`}
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`approval-${a.id}-title`} className="font-medium">
          Approval at {a.stageName} / {a.actionName}
        </h3>
        <StatusBadge status={a.status === "Pending" ? "Waiting" : a.status} label={a.status} />
      </header>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {fact("Requested", <time dateTime={a.requestedAt}>{formatTimestamp(a.requestedAt)}</time>)}
        {fact(expiry.term, expiry.countdown ? <Countdown expiresAt={expiry.at} /> : formatTimestamp(expiry.at))}
        {fact("Started by", a.startedBy ?? <span className={MUTED}>not recorded</span>)}
        {fact(
          "Execution",
          a.executionId ? (
            <Link
              href={`/pipelines/${encodeURIComponent(a.pipelineId)}/executions/${encodeURIComponent(a.executionId)}`}
              className="font-mono text-sky-700 hover:underline dark:text-sky-400"
            >
              {a.executionId.slice(0, 8)}
            </Link>
          ) : (
            "—"
          ),
        )}
      </dl>
      {a.customData && (
        <div>
          <p className={`text-xs ${MUTED}`}>Message from the pipeline</p>
          <p className="whitespace-pre-wrap break-words" data-testid="approval-custom-data">
            {a.customData}
          </p>
        </div>
      )}
      {a.externalEntityLink && (
        <p>
          <ExternalLink href={a.externalEntityLink}>Review link</ExternalLink>
        </p>
      )}
      <div>
        <p className="flex flex-wrap items-baseline gap-2 font-medium">
          Commits
          {a.totalCommits > a.commits.length && (
            <span className={`text-xs font-normal ${MUTED}`} data-testid="approval-commits-partial">
              showing {a.commits.length.toLocaleString("en-US")} of {a.totalCommits.toLocaleString("en-US")} commits
            </span>
          )}
          {a.compareUrl && (
            <ExternalLink href={a.compareUrl} className="text-xs font-normal">
              Compare on GitHub
            </ExternalLink>
          )}
        </p>
        {a.commits.length ? (
          <ul className="mt-1 divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Commits being approved">
            {a.commits.map((c) => (
              <li key={c.sha} className="flex flex-wrap items-baseline gap-x-2 py-1">
                <ExternalLink href={c.url} className="font-mono text-xs">
                  {shortSha(c.sha)}
                </ExternalLink>
                <span className="min-w-0 flex-1 truncate" title={c.message}>
                  {firstLine(c.message)}
                </span>
                <Author commit={c} />
              </li>
            ))}
          </ul>
        ) : (
          <p className={MUTED}>No commits known for this execution.</p>
        )}
      </div>
      {a.previousStages.length > 0 && (
        <div>
          <p className="font-medium">Stages before</p>
          <ul className="mt-1 flex flex-wrap gap-2" aria-label="Stages before">
            {a.previousStages.map((s) => (
              <li key={s.name} className="flex items-center gap-1">
                {s.name} <StatusBadge status={s.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {(progress || a.votes.length > 0) && (
        <div>
          {progress && (
            <p className="font-medium" data-testid="approval-progress">
              {progress}
            </p>
          )}
          <ul className="mt-1 space-y-1" aria-label="Votes">
            {a.votes.map((v) => (
              <li key={`${v.login}-${v.at}`}>
                <span className="font-medium">@{v.login}</span> {v.decision === "approve" ? "approved" : "rejected"}{" "}
                <span className={`text-xs ${MUTED}`}>{formatTimestamp(v.at)}</span>
                {v.comment && <span className="block whitespace-pre-wrap break-words">“{v.comment}”</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {decided && (
        <p data-testid="approval-decided" className="font-medium">
          {decided}
          {a.decidedAt && <span className={`font-normal ${MUTED}`}> · {formatTimestamp(a.decidedAt)}</span>}
          {a.summary && <span className="block whitespace-pre-wrap break-words font-normal">{a.summary}</span>}
        </p>
      )}
      <DecisionForm approval={a} />
    </section>
  );
}
