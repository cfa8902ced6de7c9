import { z } from "zod";
import { withUser } from "@/lib/server/api/with-user";
import { listInbox } from "@/lib/server/control/approvals/list-inbox";

export const dynamic = "force-dynamic";

const querySchema = z.object({ count: z.enum(["1"]).optional() });

// GET /api/approvals – the viewer's inbox: pending approvals they can see, decidable ones first (?count=1: meta only)
export const GET = withUser({ query: querySchema }, async ({ viewer, query }) => {
  const inbox = await listInbox(viewer);
  return Response.json(query.count ? { data: [], meta: inbox.meta } : inbox);
});
