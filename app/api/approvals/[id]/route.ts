import { z } from "zod";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { getApprovalDetail } from "@/lib/server/control/approvals/get-approval-detail";

export const dynamic = "force-dynamic";

const approvalParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9]{1,40}$/, "must be an approval id") });

// GET /api/approvals/:id – one approval with what is being approved and what the viewer may do
export const GET = withUser({ params: approvalParamsSchema }, async ({ viewer, params }) => {
  const approval = await getApprovalDetail(viewer, params.id);
  if (!approval) throw new ApiError({ code: "not_found", message: "Approval not found" });
  return Response.json({ data: approval });
});
