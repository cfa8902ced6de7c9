import "server-only";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/server/api/errors";
import { isConfiguredAdmin } from "@/lib/server/auth/admins";
import { userToken, type Viewer } from "@/lib/server/auth/visibility";
import { recordAttempt, recordOutcome } from "@/lib/server/control/audit/record";
import type { Db } from "@/lib/server/db/client";
import type { RetryWritebackBody } from "@/lib/writeback/schemas";
import { retryJobs } from "./dead-letters";

// POST /api/admin/writeback/retry behind the route: an administrator sends dead-lettered or skipped write-back jobs
// again. Administrators only, asked of GitHub now (not the flag cached with the session); audited before the jobs
// are touched, like every command.

const ACTION = "writeback-retry";
const SUBJECT = { repository: null, repositoryGithubId: null, pipelineId: null, pipelineName: null };

async function freshAdmin(db: Db, viewer: Viewer): Promise<{ githubId: bigint; login: string }> {
  const notAdmin = new ApiError({
    code: "forbidden",
    message: "Only Stageboard administrators retry GitHub write-back",
  });
  if (!viewer.isAdmin) throw notAdmin;
  const token = await userToken(db, viewer.userId);
  if (!token)
    throw new ApiError({ code: "unauthorized", message: "GitHub no longer accepts your sign-in; sign in again." });
  const admin = await isConfiguredAdmin(db, token, viewer.userId, env.STAGEBOARD_ADMINS).catch(() => {
    throw new ApiError({
      code: "service_unavailable",
      message: "GitHub could not be reached to confirm you are an administrator.",
    });
  });
  if (!admin) throw notAdmin;
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true, login: true } });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  return user;
}

export async function retryWriteback(input: {
  db: Db;
  viewer: Viewer;
  body: RetryWritebackBody;
  requestId: string;
}): Promise<{ retried: number }> {
  const { db, body } = input;
  const actor = await freshAdmin(db, input.viewer);
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
