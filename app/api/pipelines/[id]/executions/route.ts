import { historyFiltersSchema, pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { listExecutions } from "@/lib/server/pipelines/list-executions";

export const dynamic = "force-dynamic";

// GET /api/pipelines/:id/executions – history, newest first, cursor-paginated (meta.nextCursor)
export const GET = withUser(
  { params: pipelineParamsSchema, query: historyFiltersSchema },
  async ({ viewer, params, query }) => {
    const page = await listExecutions(viewer, params.id, query);
    if (!page) throw new ApiError({ code: "not_found", message: "No such pipeline" });
    return Response.json({ data: page.items, meta: { nextCursor: page.nextCursor, pipeline: page.pipeline } });
  },
);
