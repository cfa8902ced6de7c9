import { z } from "zod";
import { decisionBodySchema } from "@/lib/control/contract";
import { withUser } from "@/lib/server/api/with-user";
import { decideApproval } from "@/lib/server/control/approvals/decide";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[a-z0-9]{1,40}$/, "must be an approval id") });

// POST /api/approvals/:id/decision – approve or reject (GitHub permission asked now, policy, audit, AWS)
export const POST = withUser(
  { params: paramsSchema, body: decisionBodySchema },
  async ({ viewer, params, body, requestId }) => {
    const outcome = await decideApproval({
      viewer,
      requestId,
      approvalId: params.id,
      decision: body.decision,
      comment: body.comment,
    });
    return Response.json({ data: outcome });
  },
);
