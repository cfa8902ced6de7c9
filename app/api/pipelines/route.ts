import { overviewFiltersSchema } from "@/lib/pipelines/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { getOverview } from "@/lib/server/pipelines/get-overview";

export const dynamic = "force-dynamic";

// GET /api/pipelines – the viewer's pipelines grouped by repository, "needs attention" first
export const GET = withUser({ query: overviewFiltersSchema }, async ({ viewer, query }) => {
  return Response.json({ data: await getOverview(viewer, query) });
});
