import { createWebhookBodySchema } from "@/lib/notify/schemas";
import { repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { webhookManager, webhookReader } from "@/lib/server/notify/access";
import { urlPolicy } from "@/lib/server/notify/settings";
import { createWebhook, listWebhooks } from "@/lib/server/notify/webhooks";

export const dynamic = "force-dynamic";

// GET /api/repositories/:owner/:name/webhooks – the repository's notification webhooks (hints only) and recent deliveries
export const GET = withUser({ params: repositoryParamsSchema }, async ({ viewer, params }) => {
  const repository = await webhookReader(viewer, `${params.owner}/${params.name}`);
  return Response.json({ data: await listWebhooks(db, repository) });
});

// POST /api/repositories/:owner/:name/webhooks – add a webhook (repository admins and Stageboard administrators)
export const POST = withUser(
  { params: repositoryParamsSchema, body: createWebhookBodySchema },
  async ({ viewer, params, body, requestId }) => {
    const repository = await webhookManager(viewer, `${params.owner}/${params.name}`);
    const id = await createWebhook({ db, repository, viewer, requestId, policy: urlPolicy() }, body);
    return Response.json({ data: { id } }, { status: 201 });
  },
);
