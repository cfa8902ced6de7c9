import { z } from "zod";
import { policyOverrideSchema } from "@/lib/config/policy";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { loadPolicySettings } from "@/lib/server/control/policy/settings-view";
import { updatePolicy } from "@/lib/server/control/policy/update-policy";

export const dynamic = "force-dynamic";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const paramsSchema = z.object({ owner: z.string().regex(NAME), name: z.string().regex(NAME) });
const querySchema = z.object({
  pipeline: z
    .string()
    .max(64)
    .regex(/^[\w-]*$/)
    .optional(),
  stage: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9.@_-]*$/)
    .optional(),
});
const bodySchema = z.object({
  pipelineId: z.string().max(64).nullish(),
  stageName: z.string().min(1).max(100).nullish(),
  override: policyOverrideSchema,
});

// GET /api/repositories/:owner/:name/policy – the policy at a level (?pipeline=&stage=) with each value's source
export const GET = withUser({ params: paramsSchema, query: querySchema }, async ({ viewer, params, query }) => {
  const settings = await loadPolicySettings(viewer, `${params.owner}/${params.name}`, query);
  if (!settings) throw new ApiError({ code: "not_found", message: "Repository not found" });
  return Response.json({ data: settings });
});

// PUT /api/repositories/:owner/:name/policy – set or clear one level's override (repository admins, administrators; audited)
export const PUT = withUser({ params: paramsSchema, body: bodySchema }, async ({ viewer, params, body, requestId }) => {
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
});
