import { z } from "zod";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { writebackSettingsManager } from "@/lib/server/writeback/settings/access";
import { loadWritebackSettingsView } from "@/lib/server/writeback/settings/settings-view";
import { updateWritebackSettings } from "@/lib/server/writeback/settings/update-settings";
import { writebackSettingsUpdateSchema } from "@/lib/writeback/settings-schemas";

export const dynamic = "force-dynamic";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const paramsSchema = z.object({ owner: z.string().regex(NAME), name: z.string().regex(NAME) });

// GET /api/repositories/:owner/:name/writeback – the repository's write-back switches and stage environments, each
// with its default (repository admins, administrators)
export const GET = withUser({ params: paramsSchema }, async ({ viewer, params }) => {
  const repository = await writebackSettingsManager(viewer, `${params.owner}/${params.name}`);
  return Response.json(
    { data: await loadWritebackSettingsView(db, repository) },
    { headers: { "cache-control": "no-store" } },
  );
});

// PUT /api/repositories/:owner/:name/writeback – set or clear switches and one pipeline's stage mapping (repository
// admins, administrators; audited)
export const PUT = withUser(
  { params: paramsSchema, body: writebackSettingsUpdateSchema },
  async ({ viewer, params, body, requestId }) => {
    const repository = await updateWritebackSettings(viewer, `${params.owner}/${params.name}`, body, requestId);
    return Response.json(
      { data: await loadWritebackSettingsView(db, repository) },
      { headers: { "cache-control": "no-store" } },
    );
  },
);
