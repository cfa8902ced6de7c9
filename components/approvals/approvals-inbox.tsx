"use client";

import Link from "next/link";
import { approvalsProgress, decisionLine } from "@/lib/control/approval-text";
import type { ApprovalView } from "@/lib/control/contract";
import { RelativeTime } from "@/components/ui/relative-time";
import { LiveUpdates } from "@/components/live/live-updates";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLink } from "@/components/ui/external-link";
import { PageHeader } from "@/components/ui/page-header";
import { CARD, LINK, MUTED } from "@/components/ui/styles";
import { Countdown } from "./countdown";
import { DecisionForm } from "./decision-form";
import { useApproval, useInbox } from "./hooks/use-approvals";
import { useStickyApprovals } from "./hooks/use-sticky-approvals";

/** One approval; once it has left the inbox (decided, expired) it is read again, to say how it ended. */
function InboxItem({ view, listed }: Readonly<{ view: ApprovalView; listed: boolean }>) {
  const { data } = useApproval(view.id, { enabled: !listed });
  const a = listed ? view : (data ?? view);
  const progress = approvalsProgress(a);
  const decided = decisionLine(a);
  const panel = `/pipelines/${encodeURIComponent(a.pipelineId)}#approval-${encodeURIComponent(a.id)}`;
  return (
    <li
      data-testid="inbox-item"
      data-approval={a.id}
      data-decidable={a.rights.decide.allowed ? "true" : "false"}
      className={`space-y-2 p-4 ${CARD}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-medium">
          <Link href={panel} className={LINK}>
            {a.pipelineName}
          </Link>
          <span className={`font-normal ${MUTED}`}>
            {" "}
            · {a.stageName} / {a.actionName}
          </span>
        </h2>
        {/* Once decided or expired, time left would mislead: the decision line below says how it ended. */}
        {a.status === "Pending" && <Countdown expiresAt={a.expiresAt} />}
      </div>
      <p className={`text-sm ${MUTED}`}>
        {a.repository ? (
          <Link href={`/repositories/${a.repository}`} className="hover:underline">
            {a.repository}
          </Link>
        ) : (
          "No GitHub repository"
        )}
        {" · requested "}
        <RelativeTime value={a.requestedAt} />
        {progress && ` · ${progress}`}
      </p>
      {decided && (
        <p className="text-sm font-medium" data-testid="approval-decided">
          {decided}
        </p>
      )}
      {a.customData && <p className="line-clamp-3 whitespace-pre-wrap break-words text-sm">{a.customData}</p>}
      {a.externalEntityLink && (
        <p className="text-sm">
          <ExternalLink href={a.externalEntityLink}>Review link</ExternalLink>
        </p>
      )}
      <DecisionForm approval={a} />
      <p className="text-sm">
        <Link href={panel} className={LINK}>
          See what is being approved<span className="sr-only"> at {a.pipelineName}</span>
        </Link>
      </p>
    </li>
  );
}

/** /approvals: every pending approval the viewer can see, the ones they may decide first, then oldest first. */
export function ApprovalsInbox() {
  const { data, isPending, isError, error } = useInbox();
  const items = useStickyApprovals(data?.items ?? []);
  return (
    <div>
      <PageHeader title="Approvals">
        <LiveUpdates />
      </PageHeader>
      {data && (
        <p className={`mb-4 text-sm ${MUTED}`} aria-live="polite">
          {data.meta.pending} waiting; {data.meta.decidable} you may decide.
        </p>
      )}
      {isPending ? (
        <p role="status" className={MUTED}>
          Loading approvals…
        </p>
      ) : isError ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          Approvals could not be loaded: {error.message}
        </p>
      ) : items.length === 0 ? (
        <EmptyState title="Nothing is waiting for approval">
          Manual approval actions of the pipelines you can see appear here while they wait, with the time left before
          they expire; the ones you may decide come first.
        </EmptyState>
      ) : (
        <ul className="space-y-3" aria-label="Waiting approvals">
          {items.map(({ view, listed }) => (
            <InboxItem key={view.id} view={view} listed={listed} />
          ))}
        </ul>
      )}
    </div>
  );
}
