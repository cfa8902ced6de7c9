import { z } from "zod";
import { policySettingsQuerySchema, policyUpdateSchema } from "@/lib/control/policy-form";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { loadPolicySettings } from "@/lib/server/control/policy/settings-view";
import { updatePolicy } from "@/lib/server/control/policy/update-policy";

export const dynamic = "force-dynamic";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const paramsSchema = z.object({ owner: z.string().regex(NAME), name: z.string().regex(NAME) });

// GET /api/repositories/:owner/:name/policy – the policy at a level (?pipeline=&stage=) with each value's source
export const GET = withUser(
  { params: paramsSchema, query: policySettingsQuerySchema },
  async ({ viewer, params, query }) => {
    const settings = await loadPolicySettings(viewer, `${params.owner}/${params.name}`, query);
    if (!settings) throw new ApiError({ code: "not_found", message: "Repository not found" });
    return Response.json({ data: settings });
  },
);

// PUT /api/repositories/:owner/:name/policy – set or clear one level's override (repository admins, administrators; audited)
export const PUT = withUser(
  { params: paramsSchema, body: policyUpdateSchema },
  async ({ viewer, params, body, requestId }) => {
    const fullName = `${params.owner}/${params.name}`;
    await updatePolicy(
      viewer,
      fullName,
      { pipelineId: body.pipelineId ?? null, stageName: body.stageName ?? null, override: body.override },
      requestId,
    );
    const settings = await loadPolicySettings(viewer, fullName, {
      pipeline: body.pipelineId ?? undefined,
      stage: body.stageName ?? undefined,
    });
    return Response.json({ data: settings });
  },
);
