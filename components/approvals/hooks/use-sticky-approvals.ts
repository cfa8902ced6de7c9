"use client";

import { useState } from "react";
import type { ApprovalView } from "@/lib/control/contract";

/**
 * The approvals to show: the ones listed now, and the ones listed earlier while this view was open (decided
 * or expired since), so whoever decided one sees the outcome where they clicked instead of a vanishing row.
 * Returns each with whether it is still listed.
 */
export function useStickyApprovals(current: readonly ApprovalView[]): { view: ApprovalView; listed: boolean }[] {
  const [seen, setSeen] = useState<readonly ApprovalView[]>([]);
  const missing = current.filter((a) => !seen.some((s) => s.id === a.id));
  // Adjusting state while rendering, from what the last render showed (React's documented pattern).
  if (missing.length > 0) setSeen([...seen, ...missing]);
  const listed = new Map(current.map((a) => [a.id, a]));
  return [...seen, ...missing].map((view) => ({ view: listed.get(view.id) ?? view, listed: listed.has(view.id) }));
}
