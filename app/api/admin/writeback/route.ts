import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { readWritebackOverview } from "@/lib/server/writeback/dead-letters";

export const dynamic = "force-dynamic";

// GET /api/admin/writeback – GitHub write-back's queue: jobs per state and those that did not reach GitHub (administrators)
export const GET = withUser({}, async ({ viewer }) => {
  if (!viewer.isAdmin)
    throw new ApiError({ code: "forbidden", message: "Only Stageboard administrators see GitHub write-back" });
  return Response.json({ data: await readWritebackOverview(db) });
});
