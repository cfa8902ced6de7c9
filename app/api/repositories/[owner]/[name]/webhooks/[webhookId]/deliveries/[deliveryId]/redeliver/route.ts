import { deliveryParamsSchema } from "@/lib/notify/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { webhookManager } from "@/lib/server/notify/access";
import { routeDeliverOptions } from "@/lib/server/notify/route-context";
import { redeliver } from "@/lib/server/notify/send-now";

export const dynamic = "force-dynamic";

// POST /api/repositories/:owner/:name/webhooks/:webhookId/deliveries/:deliveryId/redeliver – try a finished delivery again
export const POST = withUser({ params: deliveryParamsSchema }, async ({ viewer, params }) => {
  const repository = await webhookManager(viewer, `${params.owner}/${params.name}`);
  const attempt = await redeliver(routeDeliverOptions(), {
    repository,
    webhookId: params.webhookId,
    deliveryId: params.deliveryId,
  });
  return Response.json({ data: attempt });
});
