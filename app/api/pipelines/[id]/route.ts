import { pipelineParamsSchema, pipelineViewSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";

export const dynamic = "force-dynamic";

// GET /api/pipelines/:id – one pipeline with its stage graph (live, or as ?execution= ran)
export const GET = withUser(
  { params: pipelineParamsSchema, query: pipelineViewSchema },
  async ({ viewer, params, query }) => {
    const pipeline = await getPipelineDetail(viewer, params.id, query.execution || null);
    if (!pipeline) throw new ApiError({ code: "not_found", message: "No such pipeline" });
    return Response.json({ data: pipeline });
  },
);
