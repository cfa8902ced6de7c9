/** The overview's status filter values (`?status=`). */
export const OVERVIEW_STATUSES = [
  "attention",
  "failed",
  "running",
  "succeeded",
  "approval",
  "stopped",
  "none",
] as const;
