import { pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { gateSettingsManager } from "@/lib/server/gate/settings/access";
import { gateSettingsUpdateSchema } from "@/lib/server/gate/settings/schemas";
import { updateGateSettings } from "@/lib/server/gate/settings/update";
import { loadGateSettingsView } from "@/lib/server/gate/settings/view";

export const dynamic = "force-dynamic";

// GET /api/pipelines/:id/gate – the pipeline's release gate (or its defaults), what it needs to work, the pipeline's
// own triggers and the last commits at the gate (repository admins, administrators)
export const GET = withUser({ params: pipelineParamsSchema }, async ({ viewer, params }) => {
  const pipeline = await gateSettingsManager(viewer, params.id);
  return Response.json(
    { data: await loadGateSettingsView(db, pipeline) },
    { headers: { "cache-control": "no-store" } },
  );
});

// PUT /api/pipelines/:id/gate – turn the gate on or off, set its branches, checks and release order (repository
// admins, administrators; audited)
export const PUT = withUser(
  { params: pipelineParamsSchema, body: gateSettingsUpdateSchema },
  async ({ viewer, params, body, requestId }) => {
    const pipeline = await updateGateSettings(viewer, params.id, body, requestId);
    return Response.json(
      { data: await loadGateSettingsView(db, pipeline) },
      { headers: { "cache-control": "no-store" } },
    );
  },
);
