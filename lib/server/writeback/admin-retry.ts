import "server-only";
import { requireFreshAdmin } from "@/lib/server/auth/fresh-admin";
import type { Viewer } from "@/lib/server/auth/visibility";
import { recordAttempt, recordOutcome } from "@/lib/server/control/audit/record";
import type { Db } from "@/lib/server/db/client";
import type { RetryWritebackBody } from "@/lib/writeback/schemas";
import { retryJobs } from "./dead-letters";

// POST /api/admin/writeback/retry behind the route: an administrator sends dead-lettered or skipped write-back jobs
// again. Administrators only, asked of GitHub now (not the flag cached with the session); audited before the jobs
// are touched, like every command.

const ACTION = "writeback-retry";
const SUBJECT = { repository: null, repositoryGithubId: null, pipelineId: null, pipelineName: null };

export async function retryWriteback(input: {
  db: Db;
  viewer: Viewer;
  body: RetryWritebackBody;
  requestId: string;
}): Promise<{ retried: number }> {
  const { db, body } = input;
  const actor = await requireFreshAdmin(db, input.viewer, "Only Stageboard administrators retry GitHub write-back");
  const attemptId = await recordAttempt(db, {
    actor,
    action: ACTION,
    subject: SUBJECT,
    parameters: body,
    requestId: input.requestId,
  });
  const retried = await retryJobs(db, { ids: "jobIds" in body ? body.jobIds : undefined });
  await recordOutcome(db, attemptId, { outcome: "succeeded" });
  return { retried };
}
