import { z } from "zod";

// What the GitHub write-back admin route and page exchange (isomorphic: the route, the page and the browser).

export type WritebackState = "pending" | "delivered" | "dead" | "skipped";

/** A job that did not reach GitHub: given up after its attempts (dead), or skipped (the App is not installed). */
export type UndeliveredJobView = {
  id: string;
  state: "dead" | "skipped";
  repository: string;
  headSha: string;
  pipelineId: string;
  executionId: string;
  name: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  updatedAt: string;
};

export type WritebackOverviewView = { counts: Record<WritebackState, number>; undelivered: UndeliveredJobView[] };

/** POST /api/admin/writeback/retry: some jobs by id, or every dead and skipped one. */
export const retryWritebackBodySchema = z.union([
  z
    .object({
      jobIds: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not a job id"))
        .min(1)
        .max(100),
    })
    .strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type RetryWritebackBody = z.infer<typeof retryWritebackBodySchema>;
