import { executionParamsSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getExecutionDetail } from "@/lib/server/pipelines/get-execution-detail";

export const dynamic = "force-dynamic";

// GET /api/pipelines/:id/executions/:executionId – one execution with its stage and action timeline
export const GET = withUser({ params: executionParamsSchema }, async ({ viewer, params }) => {
  const execution = await getExecutionDetail(viewer, params.id, params.executionId);
  if (!execution) throw new ApiError({ code: "not_found", message: "No such execution" });
  return Response.json({ data: execution });
});
