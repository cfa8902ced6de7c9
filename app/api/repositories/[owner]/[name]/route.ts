import { z } from "zod";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getRepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";

export const dynamic = "force-dynamic";

const segment = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/);
const params = z.object({ owner: segment, name: segment });

// GET /api/repositories/:owner/:name – its pipelines, what is deployed where, recent executions
export const GET = withUser({ params }, async ({ viewer, params }) => {
  const repository = await getRepositoryOverview(viewer, `${params.owner}/${params.name}`);
  if (!repository) throw new ApiError({ code: "not_found", message: "No such repository" });
  return Response.json({ data: repository });
});
