import { repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getRepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";

export const dynamic = "force-dynamic";

// GET /api/repositories/:owner/:name – its pipelines, what is deployed where, recent executions
export const GET = withUser({ params: repositoryParamsSchema }, async ({ viewer, params }) => {
  const repository = await getRepositoryOverview(viewer, `${params.owner}/${params.name}`);
  if (!repository) throw new ApiError({ code: "not_found", message: "No such repository" });
  return Response.json({ data: repository });
});
