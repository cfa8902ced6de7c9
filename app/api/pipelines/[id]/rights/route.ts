import { pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getPipelineRights } from "@/lib/server/control/commands/rights";

export const dynamic = "force-dynamic";

// GET /api/pipelines/:id/rights – what the viewer may do on this pipeline (advisory; commands re-check)
export const GET = withUser({ params: pipelineParamsSchema }, async ({ viewer, params }) => {
  const rights = await getPipelineRights(viewer, params.id);
  if (!rights) throw new ApiError({ code: "not_found", message: "No such pipeline" });
  return Response.json({ data: rights });
});
