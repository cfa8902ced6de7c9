// DELETE /api/sessions – sign out of every session of the signed-in user (all browsers and devices)
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";

export const DELETE = withUser({}, async ({ viewer, requestId, clientRequestId }) => {
  const { count } = await db.session.deleteMany({ where: { userId: viewer.userId } });
  logger.info({ userId: viewer.userId, sessions: count, requestId, clientRequestId }, "signed out of all sessions");
  return Response.json({ data: { sessionsEnded: count } });
});
