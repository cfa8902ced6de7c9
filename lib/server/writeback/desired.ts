import "server-only";
import { z } from "zod";

// What GitHub should show, as stored on WritebackJob.desired. This module owns the shape: a versioned schema and
// the only reader and writer. Only the latest desired state of a job is ever sent, so the shape is the complete
// request body (nothing is merged with what was sent before). Later kinds (commit statuses, deployments) join the
// union under their own `kind`.

export const CHECK_RUN_STATUSES = ["queued", "in_progress", "completed"] as const;
export const CHECK_RUN_CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "timed_out",
] as const;
export type CheckRunConclusion = (typeof CHECK_RUN_CONCLUSIONS)[number];

/** GitHub's limit on a summary, in characters and in bytes. */
export const SUMMARY_MAX = 65_535;

const checkRunSchema = z.object({
  name: z.string().min(1).max(255),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  externalId: z.string().min(1).max(255),
  detailsUrl: z.url({ protocol: /^https?$/ }),
  status: z.enum(CHECK_RUN_STATUSES),
  /** Set exactly when status is completed. */
  conclusion: z.enum(CHECK_RUN_CONCLUSIONS).nullable(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  title: z.string().min(1).max(255),
  summary: z.string().max(SUMMARY_MAX),
});
export type DesiredCheckRun = z.infer<typeof checkRunSchema>;

const desiredSchema = z.discriminatedUnion("kind", [
  z.object({ v: z.literal(1), kind: z.literal("check-run"), checkRun: checkRunSchema }),
]);
export type Desired = z.infer<typeof desiredSchema>;

/** Job kinds: which of an execution's reports a job is. */
export type WritebackKind = "check-run.execution" | "check-run.approval";

export function checkRunDesired(checkRun: DesiredCheckRun): Desired {
  return desiredSchema.parse({ v: 1, kind: "check-run", checkRun });
}

export function readDesired(stored: unknown): Desired {
  return desiredSchema.parse(stored);
}

/** The body of POST /repos/{owner}/{repo}/check-runs; PATCH takes the same fields but head_sha. */
export function checkRunBody(run: DesiredCheckRun) {
  return {
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId,
    details_url: run.detailsUrl,
    status: run.status,
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.startedAt ? { started_at: run.startedAt } : {}),
    ...(run.completedAt ? { completed_at: run.completedAt } : {}),
    output: { title: run.title, summary: run.summary },
  };
}

/** GitHub's timestamp form, YYYY-MM-DDTHH:MM:SSZ. */
export function githubTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
