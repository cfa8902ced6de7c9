"use client";

import { useId, useState } from "react";
import { checkDecision } from "@/lib/control/command-forms";
import { AWS_TEXT_LIMITS, fitApprovalSummary } from "@/lib/control/aws-limits";
import type { ApprovalView } from "@/lib/control/contract";
import { timeLeft } from "@/lib/control/time-left";
import { BUTTON, INPUT, MUTED } from "@/components/ui/styles";
import { useDecision } from "./hooks/use-decision";

const REJECT = `rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:bg-zinc-900 dark:text-red-200 dark:hover:bg-red-950 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600`;

/**
 * Approve or Reject with a comment. Shown to everyone who can see the approval; only a viewer the policy
 * allows gets the buttons, the others read why not. The outcome (or the refusal, or who decided first) is
 * announced in a live region.
 */
export function DecisionForm({ approval }: Readonly<{ approval: ApprovalView }>) {
  const id = useId();
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const decision = useDecision(approval);
  const requireApproveComment = approval.requireApproveComment === true;
  const pending = approval.status === "Pending";
  const expired = pending && timeLeft(approval.expiresAt, new Date()).kind === "expired";
  const right = approval.rights.decide;

  const send = (kind: "approve" | "reject") => {
    const checked = checkDecision({ decision: kind, comment }, { requireApproveComment });
    if (!checked.ok) {
      setProblem(checked.errors.comment ?? Object.values(checked.errors)[0] ?? "Check the comment.");
      document.getElementById(`${id}-comment`)?.focus();
      return;
    }
    setProblem(null);
    decision.mutate(checked.body);
  };

  const outcome = decision.isSuccess ? decision.data.message : null;
  const failure = decision.isError ? decision.error.message : null;
  const summaryCut = comment.length > 0 && fitApprovalSummary(comment) !== comment;

  return (
    <div className="space-y-2">
      {!pending ? null : expired ? (
        <p className="text-sm text-red-700 dark:text-red-300" data-testid="approval-expired">
          This approval has expired: AWS no longer takes a decision on it.
        </p>
      ) : !right.allowed ? (
        <p className={`text-sm ${MUTED}`} data-testid="decide-refused">
          You cannot decide this approval: {right.reason}.
        </p>
      ) : decision.isSuccess && decision.data.result === "sent" ? null : (
        <form
          className="space-y-2"
          aria-label={`Decide ${approval.stageName} / ${approval.actionName}`}
          onSubmit={(event) => {
            event.preventDefault();
            send("approve");
          }}
        >
          <label htmlFor={`${id}-comment`} className="block text-sm font-medium">
            Comment
            <span className={`ml-1 font-normal ${MUTED}`}>
              {requireApproveComment ? "(required)" : "(required to reject)"}
            </span>
          </label>
          <textarea
            id={`${id}-comment`}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            rows={2}
            maxLength={4000}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-hint`}
            className={`${INPUT} w-full`}
          />
          <p id={`${id}-hint`} className={`text-xs ${problem ? "text-red-700 dark:text-red-300" : MUTED}`}>
            {problem ??
              (summaryCut
                ? `AWS keeps ${AWS_TEXT_LIMITS.approvalSummary} characters of the summary; Stageboard keeps your full comment in its audit log.`
                : "Your comment goes into AWS's approval summary and Stageboard's audit log.")}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="submit" className={BUTTON} disabled={decision.isPending}>
              Approve
            </button>
            <button type="button" className={REJECT} disabled={decision.isPending} onClick={() => send("reject")}>
              Reject
            </button>
            {decision.isPending && <span className={`self-center text-sm ${MUTED}`}>Sending…</span>}
          </div>
        </form>
      )}
      <div aria-live="polite" className="text-sm">
        {outcome && (
          <p data-testid="decision-outcome" className="text-emerald-800 dark:text-emerald-200">
            {outcome}
          </p>
        )}
        {failure && (
          <p role="alert" data-testid="decision-error" className="text-red-700 dark:text-red-300">
            {failure}
          </p>
        )}
      </div>
    </div>
  );
}
