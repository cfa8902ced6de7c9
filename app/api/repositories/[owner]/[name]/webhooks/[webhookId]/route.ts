import { updateWebhookBodySchema, webhookParamsSchema } from "@/lib/notify/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { webhookManager } from "@/lib/server/notify/access";
import { urlPolicy } from "@/lib/server/notify/settings";
import { deleteWebhook, updateWebhook } from "@/lib/server/notify/webhooks";

export const dynamic = "force-dynamic";

// PATCH /api/repositories/:owner/:name/webhooks/:webhookId – change its URL, secret, events or turn it on/off
export const PATCH = withUser(
  { params: webhookParamsSchema, body: updateWebhookBodySchema },
  async ({ viewer, params, body, requestId }) => {
    const repository = await webhookManager(viewer, `${params.owner}/${params.name}`);
    await updateWebhook({ db, repository, viewer, requestId, policy: urlPolicy() }, params.webhookId, body);
    return Response.json({ data: { id: params.webhookId } });
  },
);

// DELETE /api/repositories/:owner/:name/webhooks/:webhookId – remove it and its delivery log
export const DELETE = withUser({ params: webhookParamsSchema }, async ({ viewer, params, requestId }) => {
  const repository = await webhookManager(viewer, `${params.owner}/${params.name}`);
  await deleteWebhook({ db, repository, viewer, requestId, policy: urlPolicy() }, params.webhookId);
  return Response.json({ data: { id: params.webhookId } });
});
