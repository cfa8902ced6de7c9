import { commandBodySchema } from "@/lib/control/contract";
import { pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { giveCommand } from "@/lib/server/control/commands/give-command";

export const dynamic = "force-dynamic";

// POST /api/pipelines/:id/commands – retry, stop, start, transitions, rollback, condition override
export const POST = withUser(
  { params: pipelineParamsSchema, body: commandBodySchema },
  async ({ viewer, params, body, requestId }) => {
    const outcome = await giveCommand({ viewer, requestId, pipelineId: params.id, body });
    return Response.json({ data: outcome });
  },
);
