import { webhookParamsSchema } from "@/lib/notify/schemas";
import { withUser } from "@/lib/server/api/with-user";
import { webhookManager } from "@/lib/server/notify/access";
import { routeDeliverOptions } from "@/lib/server/notify/route-context";
import { sendTestNotice } from "@/lib/server/notify/send-now";
import { publicBaseUrl } from "@/lib/server/notify/settings";

export const dynamic = "force-dynamic";

// POST /api/repositories/:owner/:name/webhooks/:webhookId/test – send a test notification now; answers how it went
export const POST = withUser({ params: webhookParamsSchema }, async ({ viewer, params }) => {
  const repository = await webhookManager(viewer, `${params.owner}/${params.name}`);
  const attempt = await sendTestNotice(routeDeliverOptions(), {
    repository,
    webhookId: params.webhookId,
    login: viewer.login,
    baseUrl: publicBaseUrl(),
  });
  return Response.json({ data: attempt });
});
