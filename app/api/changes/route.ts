import { changeScopeSchema } from "@/lib/pipelines/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { getChangeToken } from "@/lib/server/pipelines/get-change-token";

export const dynamic = "force-dynamic";

// GET /api/changes – a token that moves whenever the viewer's data in scope may have changed
export const GET = withUser({ query: changeScopeSchema }, async ({ viewer, query }) => {
  const token = await getChangeToken(viewer, query);
  return Response.json({ data: { token } }, { headers: { "cache-control": "no-store" } });
});
