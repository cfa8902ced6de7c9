import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { retryWriteback } from "@/lib/server/writeback/admin-retry";
import { retryWritebackBodySchema } from "@/lib/writeback/schemas";

export const dynamic = "force-dynamic";

// POST /api/admin/writeback/retry – send dead-lettered or skipped write-back jobs again (administrators, audited)
export const POST = withUser({ body: retryWritebackBodySchema }, async ({ viewer, body, requestId }) =>
  Response.json({ data: await retryWriteback({ db, viewer, body, requestId }) }),
);
