// CodePipeline statuses are open strings (AWS adds values); anything unknown is shown neutrally.

export type StatusTone = "success" | "failure" | "running" | "waiting" | "stopped" | "neutral";

const TONES: Record<string, StatusTone> = {
  Succeeded: "success",
  Failed: "failure",
  Cancelled: "stopped",
  Stopped: "stopped",
  Stopping: "running",
  InProgress: "running",
  Superseded: "stopped",
  Abandoned: "stopped",
  Queued: "waiting",
  QUEUED: "waiting",
  Waiting: "waiting",
  Skipped: "neutral",
};

export function statusTone(status: string | null | undefined): StatusTone {
  if (!status) return "neutral";
  return TONES[status] ?? "neutral";
}

/** "InProgress" -> "In progress"; unknown values are shown as given, as text. */
export function statusLabel(status: string | null | undefined): string {
  if (!status) return "No runs";
  if (status === "QUEUED") return "Queued";
  return status
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`);
}

export const FINAL_STATUSES = new Set(["Succeeded", "Failed", "Stopped", "Cancelled", "Superseded", "Abandoned"]);
