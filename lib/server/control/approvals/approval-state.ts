import "server-only";

// Whether an approval can still be decided, and if not, the sentence that says why (the 409 of a second
// decider, an expired or already decided approval). Pure.

type ApprovalState = {
  status: string;
  expiresAt: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decision: { login: string; decision: string; claimedAt: Date; sentAt: Date | null } | null;
};

const minute = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function isExpired(approval: Pick<ApprovalState, "status" | "expiresAt">, now: Date): boolean {
  return (
    approval.status === "Expired" || (approval.expiresAt !== null && approval.expiresAt.getTime() <= now.getTime())
  );
}

/** Why it can no longer be decided, or null while it can. */
export function alreadyDecided(approval: ApprovalState, now: Date): string | null {
  const d = approval.decision;
  if (d) {
    const verb = d.decision === "reject" ? "rejected" : "approved";
    return `Already ${verb} by @${d.login} at ${minute(d.sentAt ?? d.claimedAt)}`;
  }
  if (approval.status === "Approved" || approval.status === "Rejected") {
    const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
    const at = approval.decidedAt ? ` at ${minute(approval.decidedAt)}` : "";
    return `Already ${approval.status.toLowerCase()} in AWS${by}${at}`;
  }
  if (isExpired(approval, now))
    return `This approval expired${approval.expiresAt ? ` at ${minute(approval.expiresAt)}` : ""}; it can no longer be decided.`;
  if (approval.status !== "Pending")
    return `This approval is ${approval.status.toLowerCase()}; it can no longer be decided.`;
  return null;
}
